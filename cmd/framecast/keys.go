package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"strconv"
	"text/tabwriter"
)

func init() {
	register("keys", "manage API keys: keys create|list|revoke [--account NAME]", runKeys)
	register("credits", "manage credits: credits add --account NAME N | credits show --account NAME", runCredits)
}

func parseURL(s string) (*url.URL, error) { return url.Parse(s) }

// subcommand splits "keys create --account x" into "create" and the rest.
func subcommand(name string, args []string, subs ...string) (string, []string, error) {
	if len(args) == 0 {
		return "", nil, fmt.Errorf("%s: say one of %v", name, subs)
	}
	for _, s := range subs {
		if args[0] == s {
			return s, args[1:], nil
		}
	}
	return "", nil, fmt.Errorf("%s: unknown %q; say one of %v", name, args[0], subs)
}

func runKeys(ctx context.Context, args []string) error {
	sub, rest, err := subcommand("keys", args, "create", "list", "revoke")
	if err != nil {
		return err
	}
	fs := flag.NewFlagSet("keys "+sub, flag.ContinueOnError)
	var sf stackFlags
	sf.add(fs)
	account := fs.String("account", "default", "account name (created with the default credit grant when missing)")
	name := fs.String("name", "", "a label for the key")
	if err := fs.Parse(rest); err != nil {
		return err
	}
	st, err := sf.open(ctx, slog.New(slog.DiscardHandler))
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
		if fs.NArg() != 1 {
			return fmt.Errorf("keys revoke: give the key id (see keys list)")
		}
		acct, err := st.existingAccount(ctx, *account)
		if err != nil {
			return err
		}
		if err := st.svc.RevokeKey(ctx, acct.ID, fs.Arg(0)); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "revoked %s\n", fs.Arg(0))
	}
	return nil
}

func runCredits(ctx context.Context, args []string) error {
	sub, rest, err := subcommand("credits", args, "add", "show")
	if err != nil {
		return err
	}
	fs := flag.NewFlagSet("credits "+sub, flag.ContinueOnError)
	var sf stackFlags
	sf.add(fs)
	account := fs.String("account", "default", "account name")
	reason := fs.String("reason", "added by an operator", "ledger note")
	if err := fs.Parse(rest); err != nil {
		return err
	}
	st, err := sf.open(ctx, slog.New(slog.DiscardHandler))
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
	if fs.NArg() != 1 {
		return fmt.Errorf("credits add: give the number of credits")
	}
	n, err := strconv.ParseInt(fs.Arg(0), 10, 64)
	if err != nil {
		return fmt.Errorf("credits add: %q is not a whole number", fs.Arg(0))
	}
	balance, err := st.svc.AddCredits(ctx, acct.ID, n, *reason)
	if err != nil {
		return err
	}
	fmt.Printf("%d\n", balance)
	return nil
}
