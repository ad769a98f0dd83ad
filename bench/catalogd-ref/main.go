// catalogd-ref: a stand-in for catalogd's /api/v1/all, for benchmarks and golden digests. It walks a JSON
// file-based catalog as declcfg.WalkMetasFS does with concurrency 1 (lexical order, .indexignore files skipped),
// keeps each blob as Meta.UnmarshalJSON re-encodes it (map[string]any, SetEscapeHTML(false), trailing newline),
// writes catalog.jsonl as catalogd's storeCatalogData does, and serves it with http.ServeContent as catalogd's
// handleV1All does. Standard library only; YAML catalogs are out of its reach (no YAML decoder in the stdlib).
//
//	go build -o /tmp/catalogd-ref ./bench/catalogd-ref
//	/tmp/catalogd-ref -catalog DIR -name NAME [-listen 127.0.0.1:0] [-write FILE]
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

func reencode(dir string) ([]byte, error) {
	var out bytes.Buffer
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || d.Name() == ".indexignore" {
			return nil
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		dec := json.NewDecoder(f)
		for {
			var m map[string]any
			if err := dec.Decode(&m); errors.Is(err, io.EOF) {
				return nil
			} else if err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			enc := json.NewEncoder(&out)
			enc.SetEscapeHTML(false)
			if err := enc.Encode(m); err != nil {
				return err
			}
		}
	})
	return out.Bytes(), err
}

func main() {
	dir := flag.String("catalog", "", "file-based catalog directory (JSON files)")
	name := flag.String("name", "catalog", "catalog name in the URL")
	listen := flag.String("listen", "127.0.0.1:0", "address to serve on")
	write := flag.String("write", "", "write catalog.jsonl to this file and exit")
	flag.Parse()
	body, err := reencode(*dir)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	if *write != "" {
		if err := os.WriteFile(*write, body, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	tmp, err := os.MkdirTemp("", "catalogd-ref-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer os.RemoveAll(tmp)
	file := filepath.Join(tmp, "catalog.jsonl")
	if err := os.WriteFile(file, body, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	body = nil
	route := "/catalogs/" + *name + "/api/v1/all"
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != route || (r.Method != http.MethodGet && r.Method != http.MethodHead) {
			http.NotFound(w, r)
			return
		}
		f, err := os.Open(file)
		if err != nil {
			http.Error(w, "500 Internal Server Error", http.StatusInternalServerError)
			return
		}
		defer f.Close()
		st, err := f.Stat()
		if err != nil {
			http.Error(w, "500 Internal Server Error", http.StatusInternalServerError)
			return
		}
		w.Header().Add("Content-Type", "application/jsonl")
		http.ServeContent(w, r, "", st.ModTime(), f)
	})
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Fprintf(os.Stderr, "serving http://%s\n", strings.Replace(ln.Addr().String(), "[::]", "127.0.0.1", 1))
	if err := http.Serve(ln, handler); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
