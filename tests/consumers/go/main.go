// Command dr-demo protects one ECS server with SDRS: it creates a protection group, protects
// the server (the service creates its DR server, DR disks and replication pairs), enables
// protection, shows the pairs, then disables protection and removes everything it created.
package main

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"os/signal"
	"time"

	sdrs "github.com/libsdrs/libsdrs/bindings/go"
)

// mustEnv returns a required environment variable or stops with its name.
func mustEnv(name string) string {
	v := os.Getenv(name)
	if v == "" {
		log.Fatalf("%s is not set", name)
	}
	return v
}

func main() {
	vpcID := mustEnv("SDRS_VPC_ID")
	serverID := mustEnv("SDRS_SERVER_ID")
	c, err := sdrs.NewClient(sdrs.Config{
		Endpoint:  os.Getenv("SDRS_ENDPOINT"), // empty: https://sdrs.$OS_REGION_NAME.otc.t-systems.com
		AllowHTTP: os.Getenv("SDRS_ALLOW_HTTP") == "1",
		// OS_PROJECT_ID, OS_AUTH_TOKEN (or OS_USERNAME, OS_PASSWORD, ...): as the sdrs CLI.
		LoadEnv: true,
	})
	if err != nil {
		log.Fatal(err)
	}
	defer c.Close()

	// Ctrl-C cancels whatever call is running; the whole program has 30 minutes.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, 30*time.Minute)
	defer cancel()

	wait := &sdrs.WaitOpts{
		InitialInterval: time.Second,
		Progress: func(j *sdrs.Job) bool {
			fmt.Printf("  job %s (%s): %s\n", j.ID, j.Type, j.Status)
			return true // false stops waiting with sdrs.ErrCanceled
		},
	}
	// run waits for the job an asynchronous call started.
	run := func(jobID string, err error) {
		if err == nil {
			_, err = c.WaitJob(ctx, jobID, wait)
		}
		var se *sdrs.Error
		switch {
		case errors.Is(err, sdrs.ErrJobFailed) && errors.As(err, &se):
			log.Fatalf("job %s failed: %s %s", se.JobID, se.APICode, se.FailReason)
		case errors.Is(err, context.Canceled):
			log.Fatal("interrupted")
		case err != nil:
			log.Fatal(err)
		}
	}

	domains, err := c.Domains(ctx)
	if err != nil {
		log.Fatal(err)
	}
	var dom *sdrs.Domain
	for i := range domains.Domains {
		if domains.Domains[i].SoldOut.IsFalse() {
			dom = &domains.Domains[i]
			break
		}
	}
	if dom == nil {
		log.Fatal("no active-active domain with capacity")
	}

	pg, err := c.CreateProtectionGroupAndWait(ctx, sdrs.CreateProtectionGroupOpts{
		Name:        "web-tier",
		Description: "created by the Go example",
		SourceAZ:    dom.LocalAZ,
		TargetAZ:    dom.RemoteAZ,
		DomainID:    dom.ID,
		SourceVPCID: vpcID,
	}, wait)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("group %s (%s) is %s\n", pg.Name, pg.ID, pg.Status)

	pi, err := c.CreateProtectedInstanceAndWait(ctx, sdrs.CreateProtectedInstanceOpts{
		ServerGroupID: pg.ID,
		ServerID:      serverID,
		Name:          "web-1",
		Tags:          []sdrs.Tag{{Key: "env", Value: "prod"}},
	}, wait)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("instance %s protects %s; its DR server is %s\n", pi.Name, pi.SourceServer, pi.TargetServer)

	run(c.EnableProtection(ctx, pg.ID))
	it := c.ReplicationPairs(sdrs.ReplicationPairListOpts{ServerGroupID: pg.ID, Limit: 100})
	defer it.Close()
	for it.Next(ctx) {
		p := it.Value()
		fmt.Printf("pair %-20s %-10s %s -> %s (%d GB)\n", p.Name, p.Status, p.ProductionVolumeID,
			p.DRVolumeID, p.RecordMetadata.VolumeSizeGB)
	}
	if err := it.Err(); err != nil {
		log.Fatal(err)
	}
	if g, err := c.GetProtectionGroup(ctx, pg.ID); err == nil {
		fmt.Printf("group %s is %s with %d instance(s) and %d pair(s)\n", g.Name, g.Status,
			g.ProtectedInstanceNum, g.ReplicationNum)
	}

	// Tear down: protection off, the instance with its DR server (its pairs go with it),
	// then the empty group.
	run(c.DisableProtection(ctx, pg.ID))
	run(c.DeleteProtectedInstance(ctx, pi.ID, sdrs.DeleteProtectedInstanceOpts{DeleteTargetServer: true}))
	run(c.DeleteProtectionGroup(ctx, pg.ID))
	if _, err := c.GetProtectionGroup(ctx, pg.ID); errors.Is(err, sdrs.ErrNotFound) {
		fmt.Println("done: group deleted")
	}
}
