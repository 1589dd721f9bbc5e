package core

import (
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
)

func TestUploadListDeleteFiles(t *testing.T) {
	ctx := context.Background()
	forEachBackend(t, Config{}, func(t *testing.T, e *env) {
		s, acc := e.svc, e.account.ID
		png := testPNG(t, 30, 20)
		svg := `<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect width="8" height="8"/></svg>`
		res, err := s.Upload(ctx, acc, []UploadFile{
			{Name: "song.mp3", Content: bytes.NewReader(png)}, // a PNG named .mp3 is an image
			{Name: `C:\Users\me\logo.svg`, Content: strings.NewReader(svg)},
			{Name: "", Content: bytes.NewReader([]byte("ID3\x03\x00\x00\x00\x00\x00\x0a" + strings.Repeat("\x00", 100)))},
		})
		if err != nil {
			t.Fatal(err)
		}
		if jsonKeys(t, res) != "assets,count,message,success" || res.Count != 3 {
			t.Fatalf("upload %+v", res)
		}
		img := res.Assets[0]
		if keys := jsonKeys(t, img); keys != "createdAt,height,id,mimeType,name,size,type,url,width" {
			t.Fatalf("file keys %s", keys)
		}
		if img.Type != "image" || img.MimeType != "image/png" || img.Width != 30 || img.Height != 20 || img.Size != int64(len(png)) ||
			img.Name != "song.mp3" || img.URL != "https://fc.test/files/files/"+acc+"/"+img.ID || !strings.HasPrefix(img.ID, "asset_") {
			t.Fatalf("png %+v", img)
		}
		if a := res.Assets[1]; a.Name != "logo.svg" || a.MimeType != "image/svg+xml" || a.Width != 8 || a.Height != 8 {
			t.Fatalf("svg %+v", a)
		}
		if a := res.Assets[2]; a.Type != "audio" || a.Name != a.ID {
			t.Fatalf("mp3 %+v", a)
		}
		obj, err := e.blob.Open(ctx, "files/"+acc+"/"+img.ID)
		if err != nil {
			t.Fatal(err)
		}
		stored, _ := io.ReadAll(obj)
		obj.Close()
		if !bytes.Equal(stored, png) || obj.ContentType() != "image/png" {
			t.Fatalf("stored object differs (%d bytes, %s)", len(stored), obj.ContentType())
		}
		if a := must[Account](t)(s.GetAccount(ctx, acc)); a.StorageUsed != res.Assets[0].Size+res.Assets[1].Size+res.Assets[2].Size {
			t.Fatalf("storage used %d", a.StorageUsed)
		}

		// Resolving upload URLs to blob keys.
		if key, ok := s.ResolveFileURL(ctx, acc, img.URL); !ok || key != "files/"+acc+"/"+img.ID {
			t.Fatalf("resolve own url: %q %v", key, ok)
		}
		if _, ok := s.ResolveFileURL(ctx, acc, "/files/files/"+acc+"/"+img.ID); !ok {
			t.Fatal("resolve bare path")
		}
		bob := e.newAccount(t, "bob").ID
		for _, u := range []string{"https://elsewhere.test/files/files/" + acc + "/" + img.ID, "https://fc.test/files/files/" + acc + "/asset_nope", "https://fc.test/files/../etc/passwd"} {
			if _, ok := s.ResolveFileURL(ctx, acc, u); ok {
				t.Errorf("resolved %s", u)
			}
		}
		if _, ok := s.ResolveFileURL(ctx, bob, img.URL); ok {
			t.Fatal("another account resolved the url")
		}

		list := must[ListFilesResult](t)(s.ListFiles(ctx, acc, ListFilesInput{Type: "image"}))
		if jsonKeys(t, list) != "files,pagination,success" || list.Pagination.Total != 2 {
			t.Fatalf("list images %+v", list.Pagination)
		}
		if l := must[ListFilesResult](t)(s.ListFiles(ctx, acc, ListFilesInput{PageInput: PageInput{Page: 2, Limit: 2}})); l.Pagination.Total != 3 || len(l.Files) != 1 {
			t.Fatalf("page 2 %+v", l)
		}
		_, err = s.ListFiles(ctx, acc, ListFilesInput{Type: "document"})
		wantCode(t, err, CodeInvalidRequest)
		_, err = s.ListFiles(ctx, acc, ListFilesInput{PageInput: PageInput{Limit: -5}})
		wantCode(t, err, CodeInvalidRequest)
		if l := must[ListFilesResult](t)(s.ListFiles(ctx, bob, ListFilesInput{})); l.Pagination.Total != 0 {
			t.Fatal("another account lists files")
		}

		_, err = s.DeleteFile(ctx, bob, img.ID)
		wantCode(t, err, CodeNotFound)
		del := must[DeleteFileResult](t)(s.DeleteFile(ctx, acc, img.ID))
		if jsonKeys(t, del) != "deleted,fileId,message,success" || !del.Deleted {
			t.Fatalf("delete %+v", del)
		}
		if _, err := e.blob.Open(ctx, "files/"+acc+"/"+img.ID); err == nil {
			t.Fatal("object left after delete")
		}
		_, err = s.DeleteFile(ctx, acc, img.ID)
		wantCode(t, err, CodeNotFound)
		if _, ok := s.ResolveFileURL(ctx, acc, img.URL); ok {
			t.Fatal("deleted file still resolves")
		}
	})
}

func TestUploadErrors(t *testing.T) {
	ctx := context.Background()
	forEachBackend(t, Config{MaxUploadBytes: 5000, StorageQuota: 8000}, func(t *testing.T, e *env) {
		s, acc := e.svc, e.account.ID
		_, err := s.Upload(ctx, acc, nil)
		wantCode(t, err, CodeNoFiles)
		for name, content := range map[string]string{
			"tool.png":  "\x7fELF\x02\x01\x01\x00" + strings.Repeat("\x00", 64),
			"setup.jpg": "MZ\x90\x00",
			"run.mp4":   "#!/bin/sh\nrm -rf /\n",
			"notes.txt": "hello",
			"empty.png": "",
		} {
			_, err := s.Upload(ctx, acc, []UploadFile{{Name: name, Content: strings.NewReader(content)}})
			ue := wantCode(t, err, CodeUnsupportedFileType)
			if ue.Details["file"] != name {
				t.Errorf("details %+v", ue.Details)
			}
		}
		big := append(testPNG(t, 2, 2), make([]byte, 6000)...)
		_, err = s.Upload(ctx, acc, []UploadFile{{Name: "big.png", Content: bytes.NewReader(big)}})
		wantCode(t, err, CodeStorageLimitExceeded)

		// Under the file limit but over the quota together: nothing of the request is kept.
		part := append(testPNG(t, 2, 2), make([]byte, 4000)...)
		_, err = s.Upload(ctx, acc, []UploadFile{{Name: "a.png", Content: bytes.NewReader(part)}, {Name: "b.png", Content: bytes.NewReader(part)}})
		wantCode(t, err, CodeStorageLimitExceeded)
		// A bad file after a good one: the good one is not kept either.
		_, err = s.Upload(ctx, acc, []UploadFile{{Name: "a.png", Content: bytes.NewReader(part)}, {Name: "x", Content: strings.NewReader("text")}})
		wantCode(t, err, CodeUnsupportedFileType)
		if l := must[ListFilesResult](t)(s.ListFiles(ctx, acc, ListFilesInput{})); l.Pagination.Total != 0 {
			t.Fatalf("%d files kept from failed uploads", l.Pagination.Total)
		}
		if a := must[Account](t)(s.GetAccount(ctx, acc)); a.StorageUsed != 0 {
			t.Fatalf("storage used %d after failed uploads", a.StorageUsed)
		}
		if !dirEmpty(t, e.blob.Dir()) {
			t.Fatal("objects left in storage after failed uploads")
		}
		must[UploadResult](t)(s.Upload(ctx, acc, []UploadFile{{Name: "a.png", Content: bytes.NewReader(part)}}))
	})
}

func TestCleanFileName(t *testing.T) {
	for in, want := range map[string]string{
		"photo.png": "photo.png", "../../etc/passwd": "passwd", `C:\a\b.wav`: "b.wav", "a\x00b\n.mp3": "ab.mp3",
		"..": "", "/": "", "  spaced.gif ": "spaced.gif", strings.Repeat("é", 300): strings.Repeat("é", 255),
	} {
		if got := cleanFileName(in); got != want {
			t.Errorf("cleanFileName(%q) = %q, want %q", in, got, want)
		}
	}
}
