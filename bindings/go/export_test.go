package sdrs

import "sync/atomic"

// LiveClients reports how many C clients are not freed yet (for the external tests).
func LiveClients() int64 { return atomic.LoadInt64(&liveClients) }

// LiveWatchers reports how many C watchers are not freed yet.
func LiveWatchers() int64 { return atomic.LoadInt64(&liveWatchers) }
