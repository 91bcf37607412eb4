package web

// decisionPages are the inbox, the proposal list and page, the decisions
// made on them (approve, reject with reason, edit, bulk), undo, the kill
// switch and the live-update stream.
func (s *Server) decisionPages() []page {
	return nil
}
