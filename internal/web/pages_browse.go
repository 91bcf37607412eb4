package web

// browsePages are the agents, policies, audit log, foundation browser
// (people and accounts) and briefing pages.
func (s *Server) browsePages() []page {
	return nil
}
