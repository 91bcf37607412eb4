package storetest

// runtimeTests check the runtime part of the store contract (store.Runtime).
var runtimeTests = []test{}
