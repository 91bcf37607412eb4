package storetest

// eventsIngestTests cover EventsIngest.
var eventsIngestTests = []test{}
