package storetest

// ingestTests cover sources and EventsIngest.
var ingestTests = append(append([]test(nil), sourceTests...), eventsIngestTests...)
