# CallDocket — the two commands are `make run` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := run

export GOTOOLCHAIN := local
export GOFLAGS := -buildvcs=false
export CGO_ENABLED := 1

BIN      := bin/calldocket
VERSION  ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS  := -X github.com/calldocket/calldocket/app.Version=$(VERSION)
# Packages that never touch cgo or a display: they test with CGO_ENABLED=0
# and cross-vet for Windows.
CORE     := ./tapi/... ./clio/... ./queue/... ./ui/... ./assets/... ./app/internal/... ./calls/... ./deliver/... ./phone/... ./settings/... ./keychain/... ./ipc/... ./fax/... ./home/... ./cli/... ./internal/...
# make test leaves the tracked README screenshots alone; `make screenshots`
# refreshes them.
SHOTS    ?= $(CURDIR)/out/screenshots
XVFB     := xvfb-run -a -s "-screen 0 1280x800x24"
# The core again, for `GOOS=darwin go vet` in lint: Fyne's widget packages
# cannot be vetted for darwin without cgo, so ./ui/... is left out.
DARWIN_CORE := $(filter-out ./ui/...,$(CORE))

# Windows: cross-built with cgo through Debian's mingw-w64 (Fyne needs cgo),
# GUI subsystem, icon, manifest and version resource from packaging/windows.
WIN_EXE  := dist/calldocket-windows-amd64.exe
WIN_ENV  := GOOS=windows GOARCH=amd64 CGO_ENABLED=1 CC=x86_64-w64-mingw32-gcc
comma    := ,
# The resource's numeric version: vX.Y.Z… gives X,Y,Z,0; anything else 0,0,0,0.
WIN_VERNUM := $(shell echo '$(VERSION)' | sed -nE 's/^v?([0-9]+)\.([0-9]+)\.([0-9]+).*/\1,\2,\3,0/p')
WIN_VERNUM := $(if $(WIN_VERNUM),$(WIN_VERNUM),0$(comma)0$(comma)0$(comma)0)

.PHONY: deps deps-test deps-windows build run test test-unit test-e2e test-windows windows screenshots bench lint package msi clean

deps:          ## install the missing apt packages needed to build
	@scripts/deps.sh build

deps-test:     ## install the missing apt packages needed to test
	@scripts/deps.sh build test windows

deps-windows:  ## install the missing apt packages needed for the Windows build and its Wine tests
	@scripts/deps.sh windows

build: deps    ## build bin/calldocket
	go build -ldflags "$(LDFLAGS)" -o $(BIN) .

run: build     ## build and start CallDocket (Sandbox mode when no Clio account is connected)
	./$(BIN) $(ARGS)

test: deps-test lint test-unit test-e2e test-windows   ## everything CI runs

test-unit:
	# Under Xvfb, so the X11 keep-above tests run instead of skipping.
	XDG_RUNTIME_DIR=$$(mktemp -d) CGO_ENABLED=0 $(XVFB) go test -count=1 $(CORE)
	XDG_RUNTIME_DIR=$$(mktemp -d) $(XVFB) dbus-run-session -- go test -race -count=1 ./...
	GOOS=windows CGO_ENABLED=0 go vet $(CORE)

test-e2e: build
	mkdir -p $(SHOTS)
	XDG_RUNTIME_DIR=$$(mktemp -d) $(XVFB) dbus-run-session -- \
		go test -count=1 -tags e2e -v -timeout 10m ./e2e/ -args -bin $(CURDIR)/$(BIN) -screenshots $(SHOTS)

# rsrc_windows_amd64.syso is generated here (git-ignored): windres is fast
# and the .syso embeds the version, so it is never committed.
windows: deps-windows ## cross-build dist/calldocket-windows-amd64.exe (mingw-w64, cgo, GUI subsystem)
	mkdir -p dist
	cd packaging/windows && x86_64-w64-mingw32-windres -O coff \
		-DCD_VERSION_STR='\"$(VERSION)\"' -DCD_VERSION_NUM=$(WIN_VERNUM) \
		-o $(CURDIR)/rsrc_windows_amd64.syso calldocket.rc
	$(WIN_ENV) go build -ldflags "-H windowsgui $(LDFLAGS)" -o $(WIN_EXE) .
	@ls -l $(WIN_EXE)

# The Windows build and its MSI under Wine (wine/, build tag wine): a
# throwaway WINEPREFIX per test, under the same Xvfb and D-Bus wrapper as
# test-e2e.
test-windows: msi
	mkdir -p $(SHOTS)
	XDG_RUNTIME_DIR=$$(mktemp -d) $(XVFB) dbus-run-session -- \
		go test -count=1 -tags wine -v -timeout 15m ./wine/ \
		-args -exe $(CURDIR)/$(WIN_EXE) -msi $(CURDIR)/$(MSI) -screenshots $(SHOTS)

screenshots: ## refresh the README screenshots in docs/screenshots
	$(MAKE) test-e2e test-windows SHOTS=$(CURDIR)/docs/screenshots

bench: deps-test build ## benchmarks: lookup percentiles, sync and delivery ratios, ring-to-pop, event to visible window
	go test -run '^$$' -bench . -benchtime 2s ./clio/directory/ ./queue/ ./calls/ ./app/ ./tapi/
	XDG_RUNTIME_DIR=$$(mktemp -d) $(XVFB) dbus-run-session -- \
		go test -tags e2e -run '^$$' -bench EventToVisibleWindow -benchtime 50x ./e2e/ -args -bin $(CURDIR)/$(BIN)

lint: deps     ## gofmt, go vet and the import rules of ARCHITECTURE.md
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
		if [ -n "$$out" ]; then echo "gofmt needed:"; echo "$$out"; exit 1; fi
	go vet ./...
	go vet -tags e2e ./e2e/
	go vet -tags wine ./wine/
	GOOS=darwin CGO_ENABLED=0 go vet $(DARWIN_CORE)
	go run ./scripts/importcheck

package: build ## dist/calldocket-linux-amd64.tar.gz with binary, .desktop (URL scheme) and icon
	rm -rf dist/pkg && mkdir -p dist/pkg/bin dist/pkg/share/applications dist/pkg/share/icons/hicolor/256x256/apps
	go build -trimpath -ldflags "-s -w $(LDFLAGS)" -o dist/pkg/bin/calldocket .
	cp packaging/calldocket.desktop dist/pkg/share/applications/io.calldocket.app.desktop
	cp assets/icon.png dist/pkg/share/icons/hicolor/256x256/apps/io.calldocket.app.png
	tar -C dist/pkg -czf dist/calldocket-linux-amd64.tar.gz .
	@echo "dist/calldocket-linux-amd64.tar.gz"

# The Windows installer. `make msi EXE=path/to/calldocket.exe` packages that
# program instead of building it with `make windows`.
EXE      ?= dist/calldocket-windows-amd64.exe
MSI      := dist/CallDocket-$(VERSION)-x64.msi

msi: $(if $(filter command line,$(origin EXE)),,windows) ## dist/CallDocket-VERSION-x64.msi (wixl): per user, or ALLUSERS=1 per machine
	@scripts/deps.sh windows
	scripts/msi.sh "$(EXE)" "$(VERSION)" "$(MSI)"

clean:
	rm -rf bin dist rsrc_windows_amd64.syso
