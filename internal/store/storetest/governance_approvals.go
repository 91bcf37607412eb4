package storetest

// approvalTests check approval requests and delegations
// (store.Governance).
var approvalTests = []test{}
