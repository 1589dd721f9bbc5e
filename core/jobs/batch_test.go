package jobs

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/framecast/framecast/core"
	"github.com/framecast/framecast/core/store/storetest"
	"github.com/framecast/framecast/schemas"
)

// TestBatchCompletedWebhook renders a batch of three items of a template, one of which fails, with a
// webhook: each item sends its own signed webhook, and when the last one has ended the batch is completed
// and one signed batch.completed webhook says how many items completed and failed. Each item was charged on
// its own, and the failed one refunded.
func TestBatchCompletedWebhook(t *testing.T) {
	forEachBackend(t, func(t *testing.T, b storetest.Backend) {
		ctx := context.Background()
		e := newEnv(t, b.Open(t), filepath.Join(t.TempDir(), "blobs"), testConfig(t), true)
		tone := toneServer(t)
		hook := newWebhookReceiver(t)
		doc := document(320, 180, 1, "{{sound}}")
		doc = strings.Replace(doc, `"text":"Framecast"`, `"text":"Hi {{name}}"`, 1)
		tpl, err := e.svc.CreateTemplate(ctx, e.account.ID, core.TemplateInput{Config: json.RawMessage(doc), Variables: schemas.Variables{
			"name":  {Type: schemas.VariableString, Required: true},
			"sound": {Type: schemas.VariableAudio, Default: tone.URL + "/tone.wav"},
		}})
		if err != nil {
			t.Fatal(err)
		}
		before := e.credits(t)
		res, err := e.svc.CreateBatch(ctx, e.account.ID, core.CreateBatchInput{TemplateID: tpl.TemplateID, WebhookURL: hook.URL + "/batch",
			Metadata: json.RawMessage(`{"campaign":"spring"}`), Items: []core.BatchItemInput{
				{Variables: map[string]any{"name": "Ada"}, Metadata: json.RawMessage(`{"customer":1}`)},
				{Variables: map[string]any{"name": "Bob"}},
				{Variables: map[string]any{"name": "Eve", "sound": tone.URL + "/missing.wav"}},
			}})
		if err != nil {
			t.Fatal(err)
		}
		if res.Total != 3 || res.TotalCost != 3 || e.credits(t) != before-3 || len(res.Items) != 3 {
			t.Fatalf("batch %+v; balance %d, was %d", res.BatchView, e.credits(t), before)
		}
		for _, item := range res.Items {
			e.waitTask(t, item.TaskID, time.Minute)
		}
		calls := hook.waitCalls(t, 4, 30*time.Second)
		var batchCall *webhookCall
		items := 0
		for i, c := range calls {
			verifySignature(t, e.account.WebhookSecret, c)
			var body map[string]any
			json.Unmarshal(c.body, &body)
			if body["type"] == core.BatchCompletedEvent {
				if batchCall != nil {
					t.Errorf("two batch.completed webhooks")
				}
				batchCall = &calls[i]
				continue
			}
			items++
		}
		if batchCall == nil || items != 3 {
			t.Fatalf("got %d item webhooks and batch webhook %v", items, batchCall)
		}
		if id := batchCall.header.Get("webhook-id"); id != BatchWebhookID(res.BatchID) {
			t.Errorf("webhook-id %q, want %q", id, BatchWebhookID(res.BatchID))
		}
		var ev core.BatchEvent
		if err := json.Unmarshal(batchCall.body, &ev); err != nil {
			t.Fatal(err)
		}
		if ev.BatchID != res.BatchID || ev.Status != core.BatchCompleted || ev.Total != 3 || ev.Counts.Completed != 2 || ev.Counts.Failed != 1 ||
			ev.TemplateID != tpl.TemplateID || string(ev.Metadata) != `{"campaign":"spring"}` || ev.Timestamp == "" {
			t.Errorf("batch.completed body: %s", batchCall.body)
		}
		got, err := e.svc.GetBatch(ctx, e.account.ID, res.BatchID, core.GetBatchInput{})
		if err != nil || got.Status != core.BatchCompleted || got.Progress != 1 || got.Items[2].Status != core.TaskFailed || got.Items[0].VideoURL == "" {
			t.Errorf("GET batch: %+v %v", got, err)
		}
		if after := e.credits(t); after != before-2 {
			t.Errorf("balance %d, want %d: two items charged, the failed one refunded", after, before-2)
		}
		ledger, _ := e.svc.Ledger(ctx, e.account.ID)
		charges := 0
		for _, l := range ledger {
			if l.Reason == "render" && l.Delta == -1 {
				charges++
			}
		}
		if charges != 3 {
			t.Errorf("%d render charges in the ledger, want one per item (3)", charges)
		}
	})
}
