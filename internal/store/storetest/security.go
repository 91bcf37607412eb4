package storetest

// securityTests check the security part of the store contract (store.Security).
var securityTests = []test{}
