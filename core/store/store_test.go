package store_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/framecast/framecast/core/store"
	"github.com/framecast/framecast/core/store/storetest"
)

func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }

// TestStore runs the one shared suite against every database.
func TestStore(t *testing.T) {
	for _, b := range storetest.Backends(t) {
		t.Run(b.Name, func(t *testing.T) {
			t.Run("ConcurrentMigrations", func(t *testing.T) { testConcurrentMigrations(t, b) })
			t.Run("Suite", func(t *testing.T) { RunSuite(t, b.Open(t)) })
		})
	}
}

func TestOpenMemory(t *testing.T) {
	s, err := store.Open(context.Background(), ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.Dialect() != store.SQLite {
		t.Fatalf("dialect %s", s.Dialect())
	}
	RunSuite(t, s)
}

// testConcurrentMigrations opens one fresh database from four Stores at once: the migration lock must let
// exactly one of them create the schema and the others find it done.
func testConcurrentMigrations(t *testing.T, b storetest.Backend) {
	dsn := b.DSN(t)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	stores := make([]*store.Store, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stores[i], errs[i] = store.Open(context.Background(), dsn)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("store %d: %v", i, err)
			continue
		}
		defer stores[i].Close()
	}
	if t.Failed() {
		return
	}
	// Every store sees the same, usable schema.
	ctx := context.Background()
	now := store.NewTime(time.Now())
	if err := stores[0].InsertAccount(ctx, store.Account{ID: "acc_m", Name: "m", WebhookSecret: "s", Status: store.AccountActive, CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	if _, err := stores[3].GetAccount(ctx, "acc_m"); err != nil {
		t.Fatal(err)
	}
}

// RunSuite checks every repository of s. It needs an empty database.
func RunSuite(t *testing.T, s *store.Store) {
	ctx := context.Background()
	now := time.Date(2026, 1, 2, 3, 4, 5, 6000, time.UTC)
	mustAccount := func(id string) {
		t.Helper()
		err := s.InsertAccount(ctx, store.Account{ID: id, Name: id, WebhookSecret: "whsec_" + id, Status: store.AccountActive, CreatedAt: store.NewTime(now)})
		if err != nil {
			t.Fatal(err)
		}
	}
	mustAccount("acc_a")
	mustAccount("acc_b")

	t.Run("Accounts", func(t *testing.T) {
		a, err := s.GetAccount(ctx, "acc_a")
		if err != nil {
			t.Fatal(err)
		}
		if a.Name != "acc_a" || a.WebhookSecret != "whsec_acc_a" || !a.CreatedAt.Equal(now) || !a.DeletedAt.IsZero() {
			t.Fatalf("account %+v", a)
		}
		if _, err := s.GetAccount(ctx, "nope"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("unknown account: %v", err)
		}
		list, err := s.ListAccounts(ctx)
		if err != nil || len(list) < 2 {
			t.Fatalf("list accounts: %v %d", err, len(list))
		}
	})

	t.Run("Settings", func(t *testing.T) {
		if _, err := s.Setting(ctx, store.SettingPublicURL); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("unset setting: %v", err)
		}
		for _, v := range []string{"https://a.example", "https://b.example"} {
			if err := s.SetSetting(ctx, store.SettingPublicURL, v); err != nil {
				t.Fatal(err)
			}
			if got, err := s.Setting(ctx, store.SettingPublicURL); err != nil || got != v {
				t.Fatalf("setting: %q %v, want %q", got, err, v)
			}
		}
	})

	t.Run("Credits", func(t *testing.T) {
		adjust := func(acc string, delta int64) (store.LedgerEntry, error) {
			var e store.LedgerEntry
			err := s.Tx(ctx, func(tx *store.Tx) error {
				var err error
				e, err = tx.AdjustCredits(ctx, acc, store.LedgerEntry{Delta: delta, Reason: fmt.Sprint("delta ", delta), TaskID: "t1"})
				return err
			})
			return e, err
		}
		if e, err := adjust("acc_a", 100); err != nil || e.BalanceAfter != 100 {
			t.Fatalf("grant: %+v %v", e, err)
		}
		if e, err := adjust("acc_a", -30); err != nil || e.BalanceAfter != 70 {
			t.Fatalf("charge: %+v %v", e, err)
		}
		if _, err := adjust("acc_a", -71); !errors.Is(err, store.ErrInsufficientCredits) {
			t.Fatalf("overdraft: %v", err)
		}
		if _, err := adjust("nope", 5); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("unknown account: %v", err)
		}
		a, _ := s.GetAccount(ctx, "acc_a")
		ledger, err := s.Ledger(ctx, "acc_a")
		if err != nil {
			t.Fatal(err)
		}
		var sum int64
		for _, e := range ledger {
			sum += e.Delta
		}
		if a.Credits != 70 || sum != 70 || len(ledger) != 2 {
			t.Fatalf("balance %d, ledger sum %d over %d rows", a.Credits, sum, len(ledger))
		}
		if other, _ := s.Ledger(ctx, "acc_b"); len(other) != 0 {
			t.Fatalf("other account sees %d ledger rows", len(other))
		}
	})

	t.Run("TxRollback", func(t *testing.T) {
		boom := errors.New("boom")
		err := s.Tx(ctx, func(tx *store.Tx) error {
			if _, err := tx.AdjustCredits(ctx, "acc_b", store.LedgerEntry{Delta: 5, Reason: "x"}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("Tx returned %v", err)
		}
		if b, _ := s.GetAccount(ctx, "acc_b"); b.Credits != 0 {
			t.Fatalf("rolled back grant left balance %d", b.Credits)
		}
	})

	t.Run("StorageQuota", func(t *testing.T) {
		if err := s.AddStorageUsed(ctx, "acc_b", 60, 100); err != nil {
			t.Fatal(err)
		}
		if err := s.AddStorageUsed(ctx, "acc_b", 41, 100); !errors.Is(err, store.ErrQuotaExceeded) {
			t.Fatalf("over quota: %v", err)
		}
		if err := s.AddStorageUsed(ctx, "acc_b", -60, 100); err != nil {
			t.Fatal(err)
		}
		if err := s.AddStorageUsed(ctx, "acc_b", 1000, 0); err != nil {
			t.Fatalf("no quota: %v", err)
		}
		if b, _ := s.GetAccount(ctx, "acc_b"); b.StorageUsed != 1000 {
			t.Fatalf("storage used %d", b.StorageUsed)
		}
	})

	t.Run("Keys", func(t *testing.T) {
		k := store.Key{ID: "key_1", AccountID: "acc_a", Hash: "h1", Prefix: "sk-abc", Status: store.KeyActive, CreatedAt: store.NewTime(now)}
		if err := s.InsertKey(ctx, k); err != nil {
			t.Fatal(err)
		}
		got, err := s.KeyByHash(ctx, "h1")
		if err != nil || got.ID != "key_1" || got.AccountID != "acc_a" {
			t.Fatalf("by hash: %+v %v", got, err)
		}
		if err := s.SetKeyStatus(ctx, "acc_b", "key_1", store.KeyRevoked, now); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("other account revoked the key: %v", err)
		}
		if err := s.SetKeyStatus(ctx, "acc_a", "key_1", store.KeyInactive, now); err != nil {
			t.Fatal(err)
		}
		if err := s.TouchKey(ctx, "acc_a", "key_1", now); err != nil {
			t.Fatal(err)
		}
		if err := s.SetKeyStatus(ctx, "acc_a", "key_1", store.KeyRevoked, now); err != nil {
			t.Fatal(err)
		}
		if err := s.SetKeyStatus(ctx, "acc_a", "key_1", store.KeyActive, now); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("revoked key came back: %v", err)
		}
		keys, err := s.ListKeys(ctx, "acc_a")
		if err != nil || len(keys) != 1 || keys[0].Status != store.KeyRevoked || !keys[0].RevokedAt.Equal(now) || !keys[0].LastUsedAt.Equal(now) {
			t.Fatalf("list keys: %+v %v", keys, err)
		}
	})

	t.Run("Tasks", func(t *testing.T) { testTasks(t, s, now) })
	t.Run("Templates", func(t *testing.T) { testTemplates(t, s, now) })
	t.Run("Batches", func(t *testing.T) { testBatches(t, s, now) })

	t.Run("Previews", func(t *testing.T) {
		p := store.Preview{ID: "temp_1", AccountID: "acc_a", Config: `{"meta":{}}`, CreatedAt: store.NewTime(now), ExpiresAt: store.NewTime(now.Add(time.Hour))}
		if err := s.InsertPreview(ctx, p); err != nil {
			t.Fatal(err)
		}
		if got, err := s.GetPreview(ctx, "acc_a", "temp_1", now); err != nil || got.Config != p.Config || !got.ExpiresAt.Equal(p.ExpiresAt.Time) {
			t.Fatalf("get: %+v %v", got, err)
		}
		if _, err := s.GetPreview(ctx, "acc_b", "temp_1", now); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("other account: %v", err)
		}
		if _, err := s.GetPreview(ctx, "acc_a", "temp_1", now.Add(time.Hour)); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("expired: %v", err)
		}
		p2 := p
		p2.ID = "temp_2"
		p2.ExpiresAt = store.NewTime(now.Add(2 * time.Hour))
		s.InsertPreview(ctx, p2)
		if n, err := s.PurgePreviews(ctx, now.Add(time.Hour)); err != nil || n != 1 {
			t.Fatalf("purge: %d %v", n, err)
		}
		if err := s.DeletePreview(ctx, "acc_b", "temp_2"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("other account deleted: %v", err)
		}
		if err := s.DeletePreview(ctx, "acc_a", "temp_2"); err != nil {
			t.Fatal(err)
		}
		if err := s.DeletePreview(ctx, "acc_a", "temp_2"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("second delete: %v", err)
		}
	})

	t.Run("Files", func(t *testing.T) {
		for i, kind := range []string{"image", "audio", "image"} {
			f := store.File{ID: fmt.Sprint("asset_", i), AccountID: "acc_a", Name: "n", BlobKey: fmt.Sprint("files/acc_a/asset_", i),
				Kind: kind, MimeType: "image/png", Size: 10, Width: 3, Height: 4, CreatedAt: store.NewTime(now.Add(time.Duration(i) * time.Second))}
			if err := s.InsertFile(ctx, f); err != nil {
				t.Fatal(err)
			}
		}
		images, total, err := s.ListFiles(ctx, "acc_a", "image", 0, 10)
		if err != nil || total != 2 || len(images) != 2 || images[0].ID != "asset_2" {
			t.Fatalf("list images: %+v %d %v", images, total, err)
		}
		page, total, err := s.ListFiles(ctx, "acc_a", "", 1, 1)
		if err != nil || total != 3 || len(page) != 1 || page[0].ID != "asset_1" {
			t.Fatalf("page 2: %+v %d %v", page, total, err)
		}
		if got, err := s.GetFileByKey(ctx, "acc_a", "files/acc_a/asset_0"); err != nil || got.ID != "asset_0" || got.Width != 3 {
			t.Fatalf("by key: %+v %v", got, err)
		}
		if _, err := s.GetFile(ctx, "acc_b", "asset_0"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("other account: %v", err)
		}
		if _, total, _ := s.ListFiles(ctx, "acc_b", "", 0, 10); total != 0 {
			t.Fatalf("other account lists %d files", total)
		}
		if err := s.DeleteFile(ctx, "acc_a", "asset_0"); err != nil {
			t.Fatal(err)
		}
		if _, err := s.GetFile(ctx, "acc_a", "asset_0"); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("deleted: %v", err)
		}
	})

	t.Run("WebhookAttempts", func(t *testing.T) {
		for i := 1; i <= 2; i++ {
			a := store.WebhookAttempt{AccountID: "acc_a", TaskID: "task1", RenderTaskID: "rt_1", WebhookID: "msg_1", URL: "http://x",
				Attempt: i, StatusCode: 500 - 300*(i-1), CreatedAt: store.NewTime(now.Add(time.Duration(i) * time.Minute))}
			if err := s.InsertWebhookAttempt(ctx, a); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.ListWebhookAttempts(ctx, "acc_a", "task1")
		if err != nil || len(got) != 2 || got[0].Attempt != 1 || got[1].StatusCode != 200 {
			t.Fatalf("list: %+v %v", got, err)
		}
		if other, _ := s.ListWebhookAttempts(ctx, "acc_b", "task1"); len(other) != 0 {
			t.Fatalf("other account sees attempts")
		}
	})

	t.Run("Idempotency", func(t *testing.T) {
		rec := store.IdempotencyRecord{AccountID: "acc_a", Key: "k1", MethodPath: "POST /api/v1/video", RequestHash: "rh",
			Status: 201, Body: `{"success":true}`, CreatedAt: store.NewTime(now)}
		since := now.Add(-store.IdempotencyTTL)
		if ok, err := s.SaveIdempotency(ctx, rec, since); err != nil || !ok {
			t.Fatalf("save: %v %v", ok, err)
		}
		if ok, err := s.SaveIdempotency(ctx, rec, since); err != nil || ok {
			t.Fatalf("second save: %v %v", ok, err)
		}
		got, err := s.GetIdempotency(ctx, "acc_a", "k1", "POST /api/v1/video", since)
		if err != nil || got.Status != 201 || got.Body != rec.Body || got.RequestHash != "rh" {
			t.Fatalf("get: %+v %v", got, err)
		}
		if _, err := s.GetIdempotency(ctx, "acc_b", "k1", "POST /api/v1/video", since); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("other account: %v", err)
		}
		later := now.Add(25 * time.Hour)
		if _, err := s.GetIdempotency(ctx, "acc_a", "k1", "POST /api/v1/video", later.Add(-store.IdempotencyTTL)); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("expired: %v", err)
		}
		rec.CreatedAt = store.NewTime(later)
		if ok, err := s.SaveIdempotency(ctx, rec, later.Add(-store.IdempotencyTTL)); err != nil || !ok {
			t.Fatalf("replace expired: %v %v", ok, err)
		}
		if n, err := s.PurgeIdempotency(ctx, later); err != nil || n != 1 {
			t.Fatalf("purge: %d %v", n, err)
		}
	})

	t.Run("DeleteAccount", func(t *testing.T) {
		if err := s.MarkAccountDeleted(ctx, "acc_b", now); err != nil {
			t.Fatal(err)
		}
		b, _ := s.GetAccount(ctx, "acc_b")
		if b.Status != store.AccountDeleted || !b.DeletedAt.Equal(now) {
			t.Fatalf("deleted account %+v", b)
		}
	})
}

func testTasks(t *testing.T, s *store.Store, now time.Time) {
	ctx := context.Background()
	for i, cat := range []string{"api", "demo", "api"} {
		task := store.Task{ID: fmt.Sprint("task", i), AccountID: "acc_a", VideoTaskID: fmt.Sprint("vt_", i), Category: cat,
			Status: store.TaskCreated, Config: `{}`, Metadata: `{"k":1}`, Width: 1920, Height: 1080, FPS: 29.97, Duration: 2.5,
			Quality: "1080p", CreatedAt: store.NewTime(now.Add(time.Duration(i) * time.Second)), UpdatedAt: store.NewTime(now)}
		if err := s.InsertTask(ctx, task); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.GetTask(ctx, "acc_a", "task1")
	if err != nil || got.FPS != 29.97 || got.Duration != 2.5 || got.Metadata != `{"k":1}` || got.Category != "demo" || !got.CompletedAt.IsZero() {
		t.Fatalf("get: %+v %v", got, err)
	}
	if _, err := s.GetTask(ctx, "acc_b", "task1"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("other account: %v", err)
	}
	list, total, err := s.ListTasks(ctx, "acc_a", store.TaskFilter{Category: "api", Limit: 10})
	if err != nil || total != 2 || len(list) != 2 || list[0].ID != "task2" || list[1].ID != "task0" {
		t.Fatalf("list api: %d %d %v", total, len(list), err)
	}
	list, total, _ = s.ListTasks(ctx, "acc_a", store.TaskFilter{Limit: 1, Offset: 1})
	if total != 3 || len(list) != 1 || list[0].ID != "task1" {
		t.Fatalf("page 2: %d %+v", total, list)
	}

	r := store.Render{ID: "rt_1", TaskID: "task0", AccountID: "acc_a", Cost: 4, Quality: "1080p", NumWorkers: 5, CreatedAt: store.NewTime(now)}
	if err := s.BeginRender(ctx, r, 0); err != nil {
		t.Fatal(err)
	}
	if err := s.BeginRender(ctx, store.Render{ID: "rt_2", TaskID: "task0", AccountID: "acc_a", CreatedAt: store.NewTime(now)}, 0); !errors.Is(err, store.ErrTaskBusy) {
		t.Fatalf("second render: %v", err)
	}
	if err := s.BeginRender(ctx, store.Render{ID: "rt_3", TaskID: "task0", AccountID: "acc_b", CreatedAt: store.NewTime(now)}, 0); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("other account's render: %v", err)
	}
	if list, total, _ := s.ListTasks(ctx, "acc_a", store.TaskFilter{Status: store.TaskRendering, Limit: 5}); total != 1 || list[0].ID != "task0" {
		t.Fatalf("rendering filter: %d", total)
	}
	if err := s.MarkRenderRunning(ctx, "task0", "rt_1", now); err != nil {
		t.Fatal(err)
	}
	if err := s.SetTaskProgress(ctx, "task0", "rt_1", 0.5, now); err != nil {
		t.Fatal(err)
	}
	if err := s.SetTaskProgress(ctx, "task0", "rt_other", 0.5, now); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("progress of another render: %v", err)
	}
	if err := s.FinishRender(ctx, "task0", "rt_1", store.RenderFailed, "bad", now); err != nil {
		t.Fatal(err)
	}
	if err := s.FinishRender(ctx, "task0", "rt_1", store.RenderFailed, "bad", now); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("second finish: %v", err)
	}
	if err := s.FailTask(ctx, "task0", "rt_1", "bad", now); err != nil {
		t.Fatal(err)
	}
	got, _ = s.GetTask(ctx, "acc_a", "task0")
	if got.Status != store.TaskFailed || got.Error != "bad" || got.CostCredits != 0 || got.RenderTaskID != "rt_1" {
		t.Fatalf("failed task %+v", got)
	}
	rr, err := s.GetRender(ctx, "task0", "rt_1")
	if err != nil || rr.Status != store.RenderFailed || rr.Cost != 4 || rr.NumWorkers != 5 || !rr.StartedAt.Equal(now) {
		t.Fatalf("render %+v %v", rr, err)
	}

	// A failed task renders again.
	r.ID = "rt_4"
	if err := s.BeginRender(ctx, r, 0); err != nil {
		t.Fatal(err)
	}
	if err := s.CompleteTask(ctx, "task0", "rt_4", "renders/v.mp4", "renders/t.jpg", 1234, now); err != nil {
		t.Fatal(err)
	}
	got, _ = s.GetTask(ctx, "acc_a", "task0")
	if got.Status != store.TaskCompleted || got.VideoKey != "renders/v.mp4" || got.VideoSize != 1234 || got.Progress != 1 || got.Error != "" || !got.CompletedAt.Equal(now) || got.CostCredits != 4 {
		t.Fatalf("completed task %+v", got)
	}
	if renders, err := s.ListRenders(ctx, "acc_a", "task0"); err != nil || len(renders) != 2 {
		t.Fatalf("renders %+v %v", renders, err)
	}
	if err := s.DeleteTask(ctx, "acc_b", "task0"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("other account deleted: %v", err)
	}
	if err := s.DeleteTask(ctx, "acc_a", "task0"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetRender(ctx, "task0", "rt_4"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("render of deleted task: %v", err)
	}
}

// A zero-length database file is refused with a message naming it, and left as it was; a missing file
// is created.
func TestOpenRefusesEmptyDatabaseFile(t *testing.T) {
	dir := t.TempDir()
	empty := filepath.Join(dir, "framecast.db")
	if err := os.WriteFile(empty, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := store.Open(context.Background(), empty)
	if err == nil || !strings.Contains(err.Error(), empty) || !strings.Contains(err.Error(), "empty") {
		t.Fatalf("opening an empty database file: err = %v", err)
	}
	if info, err := os.Stat(empty); err != nil || info.Size() != 0 {
		t.Fatalf("the empty file was touched: %v %v", info, err)
	}
	fresh := filepath.Join(dir, "new", "framecast.db")
	s, err := store.Open(context.Background(), "file:"+fresh+"?_pragma=busy_timeout(1000)")
	if err != nil {
		t.Fatalf("a missing file should be created: %v", err)
	}
	s.Close()
}

// testTemplates: templates are per account, versioned by UpdateTemplate, and counted in the document usage;
// a task keeps the template and version it was made from.
func testTemplates(t *testing.T, s *store.Store, now time.Time) {
	ctx := context.Background()
	before, err := s.DocumentUsage(ctx, "acc_a", now)
	if err != nil {
		t.Fatal(err)
	}
	tpl := store.Template{ID: "tpl_1", AccountID: "acc_a", Name: "promo", Config: `{"a":"{{x}}"}`, Variables: `{"x":{"type":"string"}}`,
		Version: 1, CreatedAt: store.NewTime(now), UpdatedAt: store.NewTime(now)}
	if err := s.InsertTemplate(ctx, tpl); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetTemplate(ctx, "acc_b", "tpl_1"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("other account: %v", err)
	}
	tpl.Config, tpl.Name, tpl.UpdatedAt = `{"a":"{{y}}"}`, "promo 2", store.NewTime(now.Add(time.Second))
	got, err := s.UpdateTemplate(ctx, tpl)
	if err != nil || got.Version != 2 || got.Config != tpl.Config || got.Name != "promo 2" || !got.CreatedAt.Equal(now) {
		t.Fatalf("update: %+v %v", got, err)
	}
	if _, err := s.UpdateTemplate(ctx, store.Template{ID: "tpl_1", AccountID: "acc_b", Config: "{}", Variables: "{}"}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("update by another account: %v", err)
	}
	list, total, err := s.ListTemplates(ctx, "acc_a", 0, 10)
	if err != nil || total != 1 || len(list) != 1 || list[0].Version != 2 {
		t.Fatalf("list: %d %+v %v", total, list, err)
	}
	after, _ := s.DocumentUsage(ctx, "acc_a", now)
	if want := before.Bytes + int64(len(tpl.Config)+len(tpl.Variables)); after.Bytes != want {
		t.Errorf("document usage %d, want %d with the template", after.Bytes, want)
	}
	task := store.Task{ID: "task_tpl", AccountID: "acc_a", VideoTaskID: "vt_tpl", Category: "api", Status: store.TaskCreated, Config: `{}`,
		Metadata: `{}`, Quality: "720p", CreatedAt: store.NewTime(now), UpdatedAt: store.NewTime(now), TemplateID: "tpl_1", TemplateVersion: 2}
	if err := s.InsertTask(ctx, task); err != nil {
		t.Fatal(err)
	}
	if got, err := s.GetTask(ctx, "acc_a", "task_tpl"); err != nil || got.TemplateID != "tpl_1" || got.TemplateVersion != 2 {
		t.Fatalf("task from a template: %+v %v", got, err)
	}
	if err := s.DeleteTask(ctx, "acc_a", "task_tpl"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteTemplate(ctx, "acc_a", "tpl_1"); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteTemplate(ctx, "acc_a", "tpl_1"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("delete twice: %v", err)
	}
}

// testBatches: a batch's items are tasks with its id; counts follow their statuses, and the batch is
// completed exactly once, when none is created or rendering.
func testBatches(t *testing.T, s *store.Store, now time.Time) {
	ctx := context.Background()
	b := store.Batch{ID: "batch_1", AccountID: "acc_a", TemplateID: "tpl_x", TemplateVersion: 3, Status: store.BatchRunning, ItemCount: 2,
		TotalCost: 4, Metadata: `{}`, CreatedAt: store.NewTime(now)}
	if err := s.InsertBatch(ctx, b); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetBatch(ctx, "acc_b", "batch_1"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("other account: %v", err)
	}
	for i := range 2 {
		task := store.Task{ID: fmt.Sprint("bt", i), AccountID: "acc_a", VideoTaskID: fmt.Sprint("vt_bt", i), Category: "api", Status: store.TaskCreated,
			Config: `{}`, Metadata: `{}`, Quality: "720p", CreatedAt: store.NewTime(now), UpdatedAt: store.NewTime(now), BatchID: "batch_1", BatchIndex: int64(i)}
		if err := s.InsertTask(ctx, task); err != nil {
			t.Fatal(err)
		}
	}
	if id, err := s.BatchOfTask(ctx, "bt1"); err != nil || id != "batch_1" {
		t.Fatalf("batch of task: %q %v", id, err)
	}
	plain := store.Task{ID: "plain", AccountID: "acc_a", VideoTaskID: "vt_plain", Category: "api", Status: store.TaskCreated, Config: `{}`,
		Metadata: `{}`, Quality: "720p", CreatedAt: store.NewTime(now), UpdatedAt: store.NewTime(now)}
	if err := s.InsertTask(ctx, plain); err != nil {
		t.Fatal(err)
	}
	if _, err := s.BatchOfTask(ctx, "plain"); !errors.Is(err, store.ErrNoBatch) {
		t.Fatalf("a task in no batch: %v", err)
	}
	if done, err := s.CompleteBatchIfDone(ctx, "batch_1", store.NewTime(now)); err != nil || done {
		t.Fatalf("completed with items pending: %v %v", done, err)
	}
	if err := s.BeginRender(ctx, store.Render{ID: "rt_bt0", TaskID: "bt0", AccountID: "acc_a", Cost: 2, Quality: "720p", NumWorkers: 1, CreatedAt: store.NewTime(now)}, 0); err != nil {
		t.Fatal(err)
	}
	if err := s.SetTaskProgress(ctx, "bt0", "rt_bt0", 0.25, now); err != nil {
		t.Fatal(err)
	}
	c, err := s.BatchCounts(ctx, "batch_1")
	if err != nil || c.N[store.TaskCreated] != 1 || c.N[store.TaskRendering] != 1 || c.RenderingProgress != 0.25 {
		t.Fatalf("counts: %+v %v", c, err)
	}
	if err := s.CompleteTask(ctx, "bt0", "rt_bt0", "v", "t", 1, now); err != nil {
		t.Fatal(err)
	}
	if err := s.DeleteTask(ctx, "acc_a", "bt1"); err != nil {
		t.Fatal(err)
	}
	list, err := s.ListBatchTasks(ctx, "acc_a", "batch_1", 0, 10)
	if err != nil || len(list) != 1 || list[0].ID != "bt0" {
		t.Fatalf("items: %+v %v", list, err)
	}
	for i, want := range []bool{true, false} {
		if done, err := s.CompleteBatchIfDone(ctx, "batch_1", store.NewTime(now)); err != nil || done != want {
			t.Fatalf("complete, call %d: %v %v, want %v", i+1, done, err, want)
		}
	}
	got, _ := s.BatchByID(ctx, "batch_1")
	if got.Status != store.BatchCompleted || !got.CompletedAt.Equal(now) || got.TemplateVersion != 3 {
		t.Fatalf("batch %+v", got)
	}
}
