// Package rotation drives a staged rotation of a link's master secret through the Automation API
// (`havpn rotate`) so that a BGP session stays up throughout. Stage 1 sets nextSharedSecret (the tunnels on
// Azure instance 0 move to the new secret), stage 2 moves sharedSecret to it and drops
// nextSharedSecret (the rest follow); after each `up` it waits until `havpn status` says healthy, and
// it stops, with the link up, when a stage does not converge.
package rotation

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/pulumi/pulumi/sdk/v3/go/auto"

	"github.com/havpn/pulumi-havpn/internal/core/linkplan"
	"github.com/havpn/pulumi-havpn/internal/core/linkstatus"
	"github.com/havpn/pulumi-havpn/internal/example/envconfig"
)

// The secret configuration keys a rotation moves (envconfig's declaration).
var (
	sharedSecretKey     = envconfig.Qualify("sharedSecret")
	nextSharedSecretKey = envconfig.Qualify("nextSharedSecret")
)

// StackConfig is the part of a stack a rotation changes (auto.Stack has it).
type StackConfig interface {
	GetAllConfig(ctx context.Context) (auto.ConfigMap, error)
	SetConfig(ctx context.Context, key string, val auto.ConfigValue) error
	RemoveConfig(ctx context.Context, key string) error
}

// Rotation drives one stack's staged rotation. Check reads the link's live state (statuscmd.Check
// bound to the stack and endpoints); Up applies the stack's configuration; Between, when set, runs
// after stage 1 has converged (tests use it to inject a fault there).
type Rotation struct {
	Stack    StackConfig
	Check    func(ctx context.Context) (*linkstatus.Report, error)
	Up       func(ctx context.Context) error
	Between  func(ctx context.Context) error
	Out      io.Writer
	Timeout  time.Duration // how long each stage may take to become healthy
	Interval time.Duration // between two status reads
	// Force starts a rotation on a link that is not healthy (the stage may then take it down).
	Force bool
}

// StoppedError is a rotation that stopped with the link up: a stage did not converge, or the link was
// not healthy to begin with. The message says where it stopped and how to go on.
type StoppedError struct {
	Stage  string
	Report *linkstatus.Report
	Why    string
}

func (e *StoppedError) Error() string {
	return fmt.Sprintf("rotation stopped %s: %s", e.Stage, e.Why)
}

// Run rotates to newSecret; when the stack already has nextSharedSecret (a rotation stopped after stage
// 1), it resumes at stage 2 with that value and newSecret is not used.
func (r *Rotation) Run(ctx context.Context, newSecret string) error {
	cfg, err := r.Stack.GetAllConfig(ctx)
	if err != nil {
		return fmt.Errorf("reading the stack's configuration: %w", err)
	}
	staged, resuming := cfg[nextSharedSecretKey]
	resuming = resuming && staged.Value != ""
	if !resuming {
		if err := checkNewSecret(newSecret, cfg[sharedSecretKey].Value); err != nil {
			return err
		}
	}
	if err := r.precheck(ctx, resuming); err != nil {
		return err
	}
	if resuming {
		fmt.Fprintf(r.Out, "==> nextSharedSecret is already set: resuming at stage 2\n")
		newSecret = staged.Value
	} else {
		fmt.Fprintf(r.Out, "==> stage 1: set nextSharedSecret; the tunnels on Azure instance 0 move to the new secret\n")
		if err := r.Stack.SetConfig(ctx, nextSharedSecretKey, auto.ConfigValue{Value: newSecret, Secret: true}); err != nil {
			return err
		}
		if err := r.stage(ctx, "after stage 1 (nextSharedSecret is set; run havpn rotate again to resume at stage 2 once the link is healthy)"); err != nil {
			return err
		}
		if r.Between != nil { // a test's fault between the stages: read the link again before stage 2
			if err := r.Between(ctx); err != nil {
				return err
			}
			if err := r.healthyBefore(ctx, "before stage 2 (nextSharedSecret is set; run havpn rotate again to resume once the link is healthy)"); err != nil {
				return err
			}
		}
	}
	fmt.Fprintf(r.Out, "==> stage 2: sharedSecret takes the new secret and nextSharedSecret goes; the rest of the tunnels follow\n")
	if err := r.Stack.SetConfig(ctx, sharedSecretKey, auto.ConfigValue{Value: newSecret, Secret: true}); err != nil {
		return err
	}
	if err := r.Stack.RemoveConfig(ctx, nextSharedSecretKey); err != nil {
		return err
	}
	if err := r.stage(ctx, "after stage 2 (sharedSecret holds the new secret; every tunnel uses it once the link converges)"); err != nil {
		return err
	}
	fmt.Fprintf(r.Out, "==> rotated: every tunnel uses the new master secret and the link is healthy\n")
	return nil
}

// precheck refuses to start on a link that is not healthy: a stage replaces the tunnels of one Azure
// instance, and only the other instance's sessions keep the link up meanwhile.
func (r *Rotation) precheck(ctx context.Context, resuming bool) error {
	stage := "before stage 1"
	if resuming {
		stage = "before stage 2"
	}
	rep, err := r.read(ctx, stage)
	if err != nil {
		return err
	}
	fmt.Fprintf(r.Out, "==> %s: %d/%d BGP sessions established (%s)\n", stage, rep.Established, rep.Planned, rep.Verdict)
	if rep.Verdict != linkstatus.Healthy && !r.Force {
		return &StoppedError{Stage: stage, Report: rep, Why: fmt.Sprintf("the link is %s, not healthy: a stage takes down the tunnels of one Azure instance and only the other instance's keep the link up; fix the link first (havpn status), or pass --force", rep.Verdict)}
	}
	return nil
}

// stage applies the configuration and waits until the link is healthy again.
func (r *Rotation) stage(ctx context.Context, where string) error {
	if err := r.Up(ctx); err != nil {
		return fmt.Errorf("pulumi up %s: %w", where, err)
	}
	return r.healthyBefore(ctx, where)
}

// healthyBefore polls the link's status until it is healthy or the stage's time is up.
func (r *Rotation) healthyBefore(ctx context.Context, where string) error {
	deadline := time.Now().Add(r.Timeout)
	for {
		rep, err := r.read(ctx, where)
		if err != nil {
			return err
		}
		fmt.Fprintf(r.Out, "    status: %d/%d BGP sessions established (%s)\n", rep.Established, rep.Planned, rep.Verdict)
		if rep.Verdict == linkstatus.Healthy {
			return nil
		}
		if time.Now().Add(r.Interval).After(deadline) {
			why := fmt.Sprintf("the link is %s, not healthy, after %s", rep.Verdict, r.Timeout)
			if rep.Established > 0 {
				why += fmt.Sprintf("; %d/%d sessions still carry it", rep.Established, rep.Planned)
			}
			return &StoppedError{Stage: where, Report: rep, Why: why}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(r.Interval):
		}
	}
}

// read is Check, with a status that could not be read as an error (exit 3), which --force does not
// override: a stage takes down the tunnels of one Azure instance, and nobody would see the other's.
func (r *Rotation) read(ctx context.Context, where string) (*linkstatus.Report, error) {
	rep, err := r.Check(ctx)
	if err != nil || rep.Verdict != linkstatus.Unreadable {
		return rep, err
	}
	var reads []string
	for _, e := range rep.ReadErrors {
		reads = append(reads, e.Call+": "+e.Error)
	}
	return nil, fmt.Errorf("%s: could not read the link's status (%s); nothing further was changed. Fix: give havpn the read access havpn status needs (it shows the same errors), then run havpn rotate again", where, strings.Join(reads, "; "))
}

// checkNewSecret refuses, before anything is changed, a new secret the link would refuse at stage 1's
// up, or one equal to the current secret (a rotation that rotates nothing).
func checkNewSecret(secret, current string) error {
	if secret == "" {
		return fmt.Errorf("the new master secret is empty. Fix: give one, or let havpn rotate generate one")
	}
	if problems := linkplan.ValidateNextSharedSecret(secret); len(problems) > 0 {
		return problems
	}
	if secret == current {
		return fmt.Errorf("the new master secret equals the current sharedSecret: nothing would rotate. Fix: give a different secret, or let havpn rotate generate one")
	}
	return nil
}

// NewSecret is a random master secret: 32 bytes, base64 (44 characters).
func NewSecret() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.StdEncoding.EncodeToString(b), nil
}

// IsStopped tells a rotation that stopped with the link up from one that failed outright.
func IsStopped(err error) bool {
	var s *StoppedError
	return errors.As(err, &s)
}
