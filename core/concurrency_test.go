package core

import (
	"context"
	"sync"
	"testing"

	"github.com/framecast/framecast/core/store"
)

// TestConcurrentRenders races renders against one balance and one task: credits never go below zero,
// every charge is a ledger row, and a task renders once.
func TestConcurrentRenders(t *testing.T) {
	ctx := context.Background()
	forEachBackend(t, Config{DefaultCredits: 50}, func(t *testing.T, e *env) {
		s, acc := e.svc, e.account.ID
		// Ten tasks of 10 credits each against 50 credits: exactly five start.
		var tasks []string
		for i := 0; i < 10; i++ {
			tasks = append(tasks, must[CreateTaskResult](t)(s.CreateTask(ctx, acc, CreateTaskInput{Config: doc(1280, 720, 10)})).TaskID)
		}
		codes := make([]string, len(tasks))
		var wg sync.WaitGroup
		for i, id := range tasks {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := s.RenderTask(ctx, acc, id, RenderInput{})
				codes[i] = CodeOf(err)
			}()
		}
		wg.Wait()
		count := map[string]int{}
		for _, c := range codes {
			count[c]++
		}
		if count[""] != 5 || count[CodeInsufficientCredits] != 5 {
			t.Fatalf("outcomes %v", count)
		}
		if c := must[CreditsResult](t)(s.GetCredits(ctx, acc)); c.Credits != 0 {
			t.Fatalf("balance %d", c.Credits)
		}
		ledger := must[[]store.LedgerEntry](t)(s.Ledger(ctx, acc))
		if len(ledger) != 6 {
			t.Fatalf("%d ledger rows", len(ledger))
		}

		// One task, many simultaneous render requests: one render, the rest ALREADY_RENDERING.
		s.AddCredits(ctx, acc, 100, "top up")
		id := must[CreateTaskResult](t)(s.CreateTask(ctx, acc, CreateTaskInput{Config: doc(1280, 720, 10)})).TaskID
		codes = make([]string, 6)
		for i := range codes {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, err := s.RenderTask(ctx, acc, id, RenderInput{})
				codes[i] = CodeOf(err)
			}()
		}
		wg.Wait()
		count = map[string]int{}
		for _, c := range codes {
			count[c]++
		}
		if count[""] != 1 || count[CodeAlreadyRendering] != 5 {
			t.Fatalf("outcomes %v", count)
		}
		if c := must[CreditsResult](t)(s.GetCredits(ctx, acc)); c.Credits != 90 {
			t.Fatalf("balance %d", c.Credits)
		}
	})
}
