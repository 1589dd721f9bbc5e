package main

import (
	"os"
	"testing"

	"github.com/framecast/framecast/core/store/storetest"
)

// TestMain drops the PostgreSQL database the tests made (storetest), if any.
func TestMain(m *testing.M) { os.Exit(storetest.Main(m)) }
