package sdrs

import "testing"

// The created resource's id comes from the job's entities, else from a sub-job's, as in
// libsdrs' created_entity_id; a job without it has none.
func TestCreatedEntityID(t *testing.T) {
	job := &Job{ID: "j1", Entities: map[string]string{"other": "x"}, SubJobs: []*Job{
		{Entities: map[string]string{}},
		{Entities: map[string]string{"server_group_id": "from-sub"}},
		{Entities: map[string]string{"server_group_id": "later-sub"}},
	}}
	if id, ok := createdEntityID(job, "server_group_id"); !ok || id != "from-sub" {
		t.Fatalf("from the sub-jobs: %q, %v", id, ok)
	}
	job.Entities["server_group_id"] = "top"
	if id, ok := createdEntityID(job, "server_group_id"); !ok || id != "top" {
		t.Fatalf("the job's own entity first: %q, %v", id, ok)
	}
	if id, ok := createdEntityID(job, "replication_pair_id"); ok {
		t.Fatalf("an absent key: %q", id)
	}
}
