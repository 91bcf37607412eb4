package main

// The database backends register themselves with the store package.
import (
	_ "github.com/towerops/tower/internal/store/postgres"
	_ "github.com/towerops/tower/internal/store/sqlite"
)
