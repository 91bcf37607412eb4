package api

// fleetRoutes are the agent runtime's routes: skills, agents, proposals.
func (s *Server) fleetRoutes() []Route { return nil }
