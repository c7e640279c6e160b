// Package azurite runs Azurite, the Azure Storage emulator (npm azurite, pinned in tools/azurite), on
// loopback as a shared Pulumi state backend: Pulumi's azblob:// backend talks to it as it would to a
// storage account. Tooling for the end-to-end tests and demos; nothing here reaches a cloud.
package azurite

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

const (
	// Account and Key are the emulator's well-known storage account and key, which Azurite accepts
	// out of the box (Azurite's README, "Default Storage Account"; the same pair as the retired Azure
	// Storage Emulator). They grant access to a local emulator only: not a secret.
	Account = "devstoreaccount1"
	Key     = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="

	// PackageDir holds package.json and package-lock.json (azurite, @azure/storage-blob) and blobs.mjs.
	PackageDir = "tools/azurite"
	// DefaultContainer is the blob container the Pulumi state goes into.
	DefaultContainer = "pulumi-state"
	// Host is the only address the emulator listens on.
	Host = "127.0.0.1"
)

// Options says where and how to run the emulator.
type Options struct {
	Root      string // repository checkout: PackageDir with its node_modules installed (make azurite)
	DataDir   string // Azurite's files (--location) and azurite.log
	Port      int    // 0: a free port, which Azurite picks and prints
	Container string // created before anyone logs in; DefaultContainer when empty
}

// Emulator is a running Azurite blob service with its container created.
type Emulator struct {
	Port      int
	Container string
	LogPath   string

	pkg  string
	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited
	err  error         // the process's exit status, once done is closed
}

// Start launches azurite-blob on Host, waits until it answers HTTP and creates the container.
func Start(ctx context.Context, o Options) (*Emulator, error) {
	pkg := filepath.Join(o.Root, PackageDir)
	bin := filepath.Join(pkg, "node_modules", ".bin", "azurite-blob")
	if _, err := os.Stat(bin); err != nil {
		return nil, fmt.Errorf("%s is not installed (run make azurite: npm ci in %s): %w", bin, PackageDir, err)
	}
	if o.Port != 0 {
		if err := portFree(o.Port); err != nil {
			return nil, err
		}
	}
	if err := os.MkdirAll(o.DataDir, 0o755); err != nil {
		return nil, err
	}
	e := &Emulator{Container: o.Container, LogPath: filepath.Join(o.DataDir, "azurite.log"), pkg: pkg, done: make(chan struct{})}
	if e.Container == "" {
		e.Container = DefaultContainer
	}
	log, err := os.Create(e.LogPath)
	if err != nil {
		return nil, err
	}
	// --disableTelemetry: Azurite otherwise sends usage data to Microsoft (its README, "Disable
	// Telemetry Collection"); nothing may leave this machine. No --skipApiVersionCheck: the clients
	// are pinned to API versions this Azurite serves (see README, "Shared state backend").
	e.cmd = exec.Command(bin, "--blobHost", Host, "--blobPort", strconv.Itoa(o.Port),
		"--location", o.DataDir, "--disableTelemetry", "--silent")
	e.cmd.Dir = pkg
	e.cmd.Env = emulatorEnv()
	e.cmd.Stderr = log
	e.cmd.SysProcAttr = sysProcAttr()
	stdout, err := e.cmd.StdoutPipe()
	if err != nil {
		log.Close()
		return nil, err
	}
	if err := e.cmd.Start(); err != nil {
		log.Close()
		return nil, fmt.Errorf("starting %s: %w", bin, err)
	}
	ports := make(chan int, 1)
	go e.watch(stdout, log, ports)
	if err := e.await(ctx, ports); err != nil {
		_ = e.Stop()
		return nil, err
	}
	if err := e.CreateContainer(ctx, e.Container); err != nil {
		_ = e.Stop()
		return nil, err
	}
	return e, nil
}

// emulatorEnv is the environment without AZURITE_* settings (AZURITE_ACCOUNTS would replace the
// well-known account, AZURITE_DB the storage).
func emulatorEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "AZURITE_") {
			env = append(env, kv)
		}
	}
	return env
}

func portFree(port int) error {
	l, err := net.Listen("tcp", net.JoinHostPort(Host, strconv.Itoa(port)))
	if err != nil {
		return fmt.Errorf("%s:%d is taken (another Azurite?): stop what listens there or choose another port (0 picks a free one): %w", Host, port, err)
	}
	return l.Close()
}

// listening is Azurite's startup line, which carries the port it bound (also when asked for port 0).
var listening = regexp.MustCompile(`Blob service successfully listens on http://127\.0\.0\.1:(\d+)`)

// watch copies Azurite's output to the log, sends the port of its startup line and records the exit.
func (e *Emulator) watch(stdout io.Reader, log *os.File, ports chan<- int) {
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		line := sc.Text()
		fmt.Fprintln(log, line)
		if m := listening.FindStringSubmatch(line); m != nil {
			port, _ := strconv.Atoi(m[1])
			select {
			case ports <- port:
			default:
			}
		}
	}
	e.err = e.cmd.Wait()
	log.Close()
	close(e.done)
}

// await waits for the startup line, then for an HTTP answer.
func (e *Emulator) await(ctx context.Context, ports <-chan int) error {
	ctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	defer cancel()
	select {
	case e.Port = <-ports:
	case <-e.done:
		return fmt.Errorf("azurite exited before listening (%v): %s", e.err, e.logTail())
	case <-ctx.Done():
		return fmt.Errorf("azurite did not report listening: %w; %s", ctx.Err(), e.logTail())
	}
	client := &http.Client{Timeout: 2 * time.Second}
	for {
		// Any HTTP answer means the service is up (an unauthenticated request is refused with 403).
		resp, err := client.Get(e.Endpoint())
		if err == nil {
			resp.Body.Close()
			return nil
		}
		select {
		case <-e.done:
			return fmt.Errorf("azurite exited (%v): %s", e.err, e.logTail())
		case <-ctx.Done():
			return fmt.Errorf("azurite at %s does not answer: %w", e.Endpoint(), err)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func (e *Emulator) logTail() string {
	b, _ := os.ReadFile(e.LogPath)
	if len(b) > 2000 {
		b = b[len(b)-2000:]
	}
	return strings.TrimSpace(string(b))
}

// Endpoint is the account's blob endpoint (path-style, as Azurite serves it).
func (e *Emulator) Endpoint() string {
	return fmt.Sprintf("http://%s:%d/%s", Host, e.Port, Account)
}

// BackendURL is what `pulumi login` takes: gocloud.dev's azblob URL, with the emulator's domain and
// protocol and localemu (path-style account) as query options.
func (e *Emulator) BackendURL() string {
	return fmt.Sprintf("azblob://%s?domain=%s:%d&protocol=http&localemu=true", e.Container, Host, e.Port)
}

// Env is what the CLI needs to reach the emulator: the account and its key. Without them Pulumi's
// azblob backend falls back to Azure's default credential chain, which would try cloud endpoints.
func (e *Emulator) Env() map[string]string {
	return map[string]string{"AZURE_STORAGE_ACCOUNT": Account, "AZURE_STORAGE_KEY": Key}
}

// CreateContainer creates a blob container (nothing when it exists) through @azure/storage-blob.
func (e *Emulator) CreateContainer(ctx context.Context, name string) error {
	_, err := e.client(ctx, "create", name)
	return err
}

// ReadBlob returns the content of one blob of the emulator's container, through @azure/storage-blob.
func (e *Emulator) ReadBlob(ctx context.Context, name string) ([]byte, error) {
	return e.client(ctx, "get", e.Container, name)
}

// Blob is one object of a container.
type Blob struct {
	Name string `json:"name"`
	Size int64  `json:"size"`
}

// Blobs lists the emulator's container, through @azure/storage-blob.
func (e *Emulator) Blobs(ctx context.Context) ([]Blob, error) {
	out, err := e.client(ctx, "list", e.Container)
	if err != nil {
		return nil, err
	}
	var blobs []Blob
	for line := range strings.Lines(string(out)) {
		var b Blob
		if err := json.Unmarshal([]byte(line), &b); err != nil {
			return nil, fmt.Errorf("blobs.mjs list: %w", err)
		}
		blobs = append(blobs, b)
	}
	return blobs, nil
}

// client runs blobs.mjs with the account's credentials.
func (e *Emulator) client(ctx context.Context, command, container string, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "node", append([]string{"blobs.mjs", command, e.Endpoint(), container}, args...)...)
	cmd.Dir = e.pkg
	cmd.Env = append(emulatorEnv(), "AZURE_STORAGE_ACCOUNT="+Account, "AZURE_STORAGE_KEY="+Key)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("blobs.mjs %s %s: %w: %s", command, container, err, strings.TrimSpace(stderr.String()))
	}
	return out, nil
}

// Stop ends the emulator (SIGTERM, then SIGKILL after 10 s) and waits for it.
func (e *Emulator) Stop() error {
	select {
	case <-e.done:
		return nil
	default:
	}
	_ = e.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-e.done:
	case <-time.After(10 * time.Second):
		_ = e.cmd.Process.Kill()
		<-e.done
	}
	var exit *exec.ExitError
	if e.err != nil && !errors.As(e.err, &exit) {
		return e.err
	}
	return nil
}
