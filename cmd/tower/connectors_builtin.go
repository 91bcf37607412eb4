package main

// The connector kinds Tower ships, registered by name.
import (
	_ "github.com/towerops/tower/internal/connect/csvdir"
	_ "github.com/towerops/tower/internal/connect/hubspot"
	_ "github.com/towerops/tower/internal/connect/mautic"
	_ "github.com/towerops/tower/internal/connect/salesforce"
	_ "github.com/towerops/tower/internal/connect/webhook"
)
