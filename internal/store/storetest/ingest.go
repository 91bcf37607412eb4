package storetest

// ingestTests cover sources and EventsIngest.
var ingestTests = []test{}
