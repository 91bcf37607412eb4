package storetest

// govStateTests check autonomy tracks, agent changes, records per system
// and settings (store.Governance).
var govStateTests = []test{}
