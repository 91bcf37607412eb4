package web

import "net/http"

func (s *Server) peoplePage(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, http.StatusNotImplemented, "Not ready yet.")
}
func (s *Server) personPage(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, http.StatusNotImplemented, "Not ready yet.")
}
func (s *Server) accountsPage(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, http.StatusNotImplemented, "Not ready yet.")
}
func (s *Server) accountPage(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, http.StatusNotImplemented, "Not ready yet.")
}
func (s *Server) briefingPage(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, http.StatusNotImplemented, "Not ready yet.")
}
