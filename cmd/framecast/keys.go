package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"slices"
	"strconv"
	"text/tabwriter"
)

func init() {
	register("keys", "manage API keys: keys create|list|revoke [--account NAME] [--admin]", runKeys)
	register("credits", "manage credits: credits add --account NAME N | credits show --account NAME", runCredits)
}

func parseURL(s string) (*url.URL, error) { return url.Parse(s) }

// openAdmin reads an operator command such as "keys create --account x": the subcommand (one of subs), the
// service's flags plus those flags adds, and opens the service quietly.
func openAdmin(ctx context.Context, name string, args, subs []string, flags func(fs *flag.FlagSet)) (sub string, positional []string, st *stack, err error) {
	if len(args) == 0 || !slices.Contains(subs, args[0]) {
		return "", nil, nil, fmt.Errorf("%s: say one of %v", name, subs)
	}
	fs := flag.NewFlagSet(name+" "+args[0], flag.ContinueOnError)
	var sf stackFlags
	sf.add(fs)
	flags(fs)
	if positional, err = parseInterleaved(fs, args[1:]); err != nil {
		return "", nil, nil, err
	}
	st, err = sf.open(ctx, slog.New(slog.DiscardHandler))
	return args[0], positional, st, err
}

func runKeys(ctx context.Context, args []string) error {
	var account, name *string
	var admin *bool
	sub, positional, st, err := openAdmin(ctx, "keys", args, []string{"create", "list", "revoke"}, func(fs *flag.FlagSet) {
		account = fs.String("account", "default", "account name (created with the default credit grant when missing)")
		name = fs.String("name", "", "a label for the key")
		admin = fs.Bool("admin", false, "create: also make the account an operator (the console then shows it every account and the workers)")
	})
	if err != nil {
		return err
	}
	defer st.close()
	switch sub {
	case "create":
		acct, created, err := st.accountNamed(ctx, *account)
		if err != nil {
			return err
		}
		if created {
			fmt.Fprintf(os.Stderr, "created account %q (%s)\n", acct.Name, acct.ID)
		}
		plain, key, err := st.svc.CreateKey(ctx, acct.ID, *name)
		if err != nil {
			return err
		}
		if *admin {
			if err := st.svc.SetAccountAdmin(ctx, acct.ID, true); err != nil {
				return err
			}
			fmt.Fprintf(os.Stderr, "account %q is an operator\n", acct.Name)
		}
		fmt.Fprintf(os.Stderr, "key %s for account %q; it is shown once:\n", key.ID, acct.Name)
		fmt.Println(plain)
	case "list":
		acct, err := st.existingAccount(ctx, *account)
		if err != nil {
			return err
		}
		keys, err := st.svc.ListKeys(ctx, acct.ID)
		if err != nil {
			return err
		}
		w := tabwriter.NewWriter(os.Stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(w, "ID\tPREFIX\tNAME\tSTATUS\tCREATED")
		for _, k := range keys {
			fmt.Fprintf(w, "%s\t%s\t%s\t%s\t%s\n", k.ID, k.Prefix, k.Name, k.Status, k.CreatedAt)
		}
		return w.Flush()
	case "revoke":
		if len(positional) != 1 {
			return fmt.Errorf("keys revoke: give the key id (see keys list)")
		}
		acct, err := st.existingAccount(ctx, *account)
		if err != nil {
			return err
		}
		if err := st.svc.RevokeKey(ctx, acct.ID, positional[0]); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "revoked %s\n", positional[0])
	}
	return nil
}

func runCredits(ctx context.Context, args []string) error {
	var account, reason *string
	sub, positional, st, err := openAdmin(ctx, "credits", args, []string{"add", "show"}, func(fs *flag.FlagSet) {
		account = fs.String("account", "default", "account name")
		reason = fs.String("reason", "added by an operator", "ledger note")
	})
	if err != nil {
		return err
	}
	defer st.close()
	acct, err := st.existingAccount(ctx, *account)
	if err != nil {
		return err
	}
	if sub == "show" {
		c, err := st.svc.GetCredits(ctx, acct.ID)
		if err != nil {
			return err
		}
		fmt.Println(c.Credits)
		return nil
	}
	if len(positional) != 1 {
		return fmt.Errorf("credits add: give the number of credits")
	}
	n, err := strconv.ParseInt(positional[0], 10, 64)
	if err != nil {
		return fmt.Errorf("credits add: %q is not a whole number", positional[0])
	}
	balance, err := st.svc.AddCredits(ctx, acct.ID, n, *reason)
	if err != nil {
		return err
	}
	fmt.Printf("%d\n", balance)
	return nil
}
