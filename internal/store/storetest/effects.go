package storetest

// effectsTests check the effects part of the store contract (store.Effects).
var effectsTests = []test{}
