package sdrs_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"sort"
	"time"

	sdrs "github.com/libsdrs/libsdrs/bindings/go"
)

// The whole life of a protection group against the emulator (TestMain exports its address as
// SDRS_TEST_ENDPOINT).
func Example() {
	c, err := sdrs.NewClient(sdrs.Config{
		Endpoint:  os.Getenv("SDRS_TEST_ENDPOINT"),
		AllowHTTP: true, // the emulator speaks plain HTTP
		ProjectID: "0123456789abcdef0123456789abcdef",
		Token:     "emulator-token",
	})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	domains, err := c.Domains(ctx)
	if err != nil {
		log.Fatal(err)
	}
	d := domains.Domains[0]
	wait := &sdrs.WaitOpts{InitialInterval: 20 * time.Millisecond}
	pg, err := c.CreateProtectionGroupAndWait(ctx, sdrs.CreateProtectionGroupOpts{
		Name:        "example-group",
		SourceAZ:    d.LocalAZ,
		TargetAZ:    d.RemoteAZ,
		DomainID:    d.ID,
		SourceVPCID: "0ad6bc2e-3a7c-4b9e-8d1f-5e6a7b8c9d0e",
	}, wait)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(pg.Name, pg.Status, pg.SourceAZ, "->", pg.TargetAZ)

	jobID, err := c.DeleteProtectionGroup(ctx, pg.ID)
	if err != nil {
		log.Fatal(err)
	}
	job, err := c.WaitJob(ctx, jobID, wait)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(job.Type, job.Status)

	_, err = c.GetProtectionGroup(ctx, pg.ID)
	fmt.Println(errors.Is(err, sdrs.ErrNotFound))
	// Output:
	// example-group available eu-de-01 -> eu-de-02
	// deleteProtectionGroupNoCG SUCCESS
	// true
}

// Iterating over every group page by page.
func ExampleClient_ProtectionGroups() {
	c, err := sdrs.NewClient(sdrs.Config{Endpoint: os.Getenv("SDRS_TEST_ENDPOINT"), AllowHTTP: true,
		ProjectID: "0123456789abcdef0123456789abcdef", Token: "emulator-token"})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var ids []string
	for i := 1; i <= 3; i++ {
		pg, err := c.CreateProtectionGroupAndWait(ctx, sdrs.CreateProtectionGroupOpts{
			Name: fmt.Sprintf("example-list-%d", i), SourceAZ: "eu-de-01", TargetAZ: "eu-de-02",
			DomainID: "5d2c1b7e-3f0a-4c55-9e71-0a8b6f4d2c11", SourceVPCID: "0ad6bc2e-3a7c-4b9e-8d1f-5e6a7b8c9d0e",
		}, &sdrs.WaitOpts{InitialInterval: 20 * time.Millisecond})
		if err != nil {
			log.Fatal(err)
		}
		ids = append(ids, pg.ID)
	}

	// Pages of two groups; the iterator fetches the next page when needed.
	it := c.ProtectionGroups(sdrs.ListOpts{Name: "example-list-", Limit: 2})
	defer it.Close()
	var names []string
	for it.Next(ctx) {
		names = append(names, it.Value().Name)
	}
	if err := it.Err(); err != nil {
		log.Fatal(err)
	}
	sort.Strings(names)
	fmt.Println(names)

	for _, id := range ids {
		jobID, err := c.DeleteProtectionGroup(ctx, id)
		if err == nil {
			_, err = c.WaitJob(ctx, jobID, &sdrs.WaitOpts{InitialInterval: 20 * time.Millisecond})
		}
		if err != nil {
			log.Fatal(err)
		}
	}
	// Output:
	// [example-list-1 example-list-2 example-list-3]
}

// Waiting for a job with a progress callback, which runs on the calling goroutine.
func ExampleClient_WaitJob() {
	c, err := sdrs.NewClient(sdrs.Config{Endpoint: os.Getenv("SDRS_TEST_ENDPOINT"), AllowHTTP: true,
		ProjectID: "0123456789abcdef0123456789abcdef", Token: "emulator-token"})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel() // canceling ctx would stop the wait promptly with sdrs.ErrCanceled

	jobID, err := c.CreateProtectionGroup(ctx, sdrs.CreateProtectionGroupOpts{Name: "example-wait",
		SourceAZ: "eu-de-01", TargetAZ: "eu-de-02", DomainID: "5d2c1b7e-3f0a-4c55-9e71-0a8b6f4d2c11",
		SourceVPCID: "0ad6bc2e-3a7c-4b9e-8d1f-5e6a7b8c9d0e"})
	if err != nil {
		log.Fatal(err)
	}
	reads := 0
	job, err := c.WaitJob(ctx, jobID, &sdrs.WaitOpts{
		InitialInterval: 20 * time.Millisecond,
		Progress: func(j *sdrs.Job) bool {
			reads++
			return true // false would stop waiting (sdrs.ErrCanceled)
		},
	})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(job.Type, job.Status, job.ServerGroupID() != "", reads > 0)
	// Output:
	// createProtectionGroupNoCG SUCCESS true true
}

// Following many jobs with one Watcher: one goroutine per job parks in WaitJob (no OS thread
// each), and AddFunc reports a job's end through a function instead, with a ticket to cancel
// it by.
func ExampleWatcher() {
	c, err := sdrs.NewClient(sdrs.Config{Endpoint: os.Getenv("SDRS_TEST_ENDPOINT"), AllowHTTP: true,
		ProjectID: "0123456789abcdef0123456789abcdef", Token: "emulator-token"})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()
	// At most 200 polls per second and 4 requests in flight for all jobs together.
	w, err := sdrs.NewWatcher(c, sdrs.WithMaxPollsPerSec(200), sdrs.WithMaxInFlight(4))
	if err != nil {
		log.Fatal(err)
	}
	defer w.Close() // would end every pending wait with sdrs.ErrCanceled
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	var jobIDs []string
	for i := 0; i < 3; i++ {
		id, err := c.CreateProtectionGroup(ctx, sdrs.CreateProtectionGroupOpts{Name: fmt.Sprintf("example-watch-%d", i),
			SourceAZ: "eu-de-01", TargetAZ: "eu-de-02", DomainID: "5d2c1b7e-3f0a-4c55-9e71-0a8b6f4d2c11",
			SourceVPCID: "0ad6bc2e-3a7c-4b9e-8d1f-5e6a7b8c9d0e"})
		if err != nil {
			log.Fatal(err)
		}
		jobIDs = append(jobIDs, id)
	}
	wait := &sdrs.WaitOpts{InitialInterval: 20 * time.Millisecond}
	results := make(chan string, len(jobIDs))
	for _, id := range jobIDs[:2] {
		go func(id string) {
			job, err := w.WaitJob(ctx, id, wait) // parks; canceling ctx ends it with ErrCanceled
			if err != nil {
				log.Fatal(err)
			}
			results <- job.Status.String()
		}(id)
	}
	// The function runs on the watcher's thread: keep it short, never block in it.
	if _, err := w.AddFunc(jobIDs[2], wait, func(job *sdrs.Job, err error) {
		if err != nil {
			results <- err.Error()
			return
		}
		results <- "AddFunc " + job.Status.String()
	}); err != nil {
		log.Fatal(err)
	}
	var got []string
	for range jobIDs {
		got = append(got, <-results)
	}
	sort.Strings(got)
	fmt.Println(got)
	// Output:
	// [AddFunc SUCCESS SUCCESS SUCCESS]
}
