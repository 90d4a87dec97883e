# SPDX-License-Identifier: MIT
# make install [DESTDIR=…] [PREFIX=/usr/local]   release build and man page, then the binary, man page,
#                                                shell completions, unit, logrotate file and (only
#                                                where absent) the configuration
# make man                                       the man page (ArgumentParser's generate-manual plugin)
# make uninstall                                 removes what install put in place, except the
#                                                configuration, the state and the alert files
# make fuzz [FUZZ_SECONDS=60]                    builds the fuzz targets (libFuzzer, AddressSanitizer)
#                                                and runs each for FUZZ_SECONDS on its corpus; exits
#                                                non-zero on any finding, kept in .build-fuzz/findings
# make fuzz-TARGET                               one of them: $(FUZZ_TARGETS)
SHELL := /bin/bash
PREFIX ?= /usr/local
DESTDIR ?=
SYSCONFDIR ?= /etc
BUILD ?= swift build -c release --static-swift-stdlib
BINARY ?= .build/release/feedwatch
MANDIR ?= .build/man
MANUAL ?= mkdir -p $(MANDIR) && swift package --allow-writing-to-directory $(MANDIR) generate-manual --output-directory $(MANDIR)

FUZZ_SECONDS ?= 60
FUZZ_TARGETS := feed extract rules http-headers dates alert-lines
# libFuzzer's coverage needs -sanitize=fuzzer on every compile; --sanitize=fuzzer tells SwiftPM to link
# libFuzzer's main instead of the executable's own.
FUZZ_BUILD ?= swift build --package-path Fuzz -c release --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address
FUZZ_WORK := .build-fuzz
fuzz_dict_feed := xml
fuzz_dict_extract := html
fuzz_dict_rules := rules
fuzz_dict_dates := dates
fuzz_dict_http-headers := dates

bindir := $(DESTDIR)$(PREFIX)/bin
unitdir := $(DESTDIR)$(PREFIX)/lib/systemd/system
confdir := $(DESTDIR)$(SYSCONFDIR)/feedwatch
rotatedir := $(DESTDIR)$(SYSCONFDIR)/logrotate.d
man1dir := $(DESTDIR)$(PREFIX)/share/man/man1
bashdir := $(DESTDIR)$(PREFIX)/share/bash-completion/completions
zshdir := $(DESTDIR)$(PREFIX)/share/zsh/site-functions
fishdir := $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d

.PHONY: build man install uninstall fuzz fuzz-build $(addprefix fuzz-,$(FUZZ_TARGETS))

build:
	$(BUILD)

man:
	$(MANUAL)

install: build man
	install -d -m 0755 $(bindir) $(unitdir) $(rotatedir) $(confdir) $(man1dir) $(bashdir) $(zshdir) $(fishdir)
	install -m 0755 $(BINARY) $(bindir)/feedwatch
	if [ -f $(MANDIR)/feedwatch.1 ]; then install -m 0644 $(MANDIR)/feedwatch.1 $(man1dir)/feedwatch.1; fi
	$(BINARY) --generate-completion-script bash > $(bashdir)/feedwatch
	$(BINARY) --generate-completion-script zsh > $(zshdir)/_feedwatch
	$(BINARY) --generate-completion-script fish > $(fishdir)/feedwatch.fish
	sed 's|/usr/local/bin/feedwatch|$(PREFIX)/bin/feedwatch|' systemd/feedwatch.service > $(unitdir)/feedwatch.service
	chmod 0644 $(unitdir)/feedwatch.service
	install -m 0644 systemd/feedwatch.logrotate $(rotatedir)/feedwatch
	@# Under systemd, state and alerts go to StateDirectory= and LogsDirectory=: the sample's
	@# state_dir and alert path (relative, for trying Feedwatch out) are left out.
	test -e $(confdir)/feedwatch.yaml || sed -e '/^state_dir:/d' -e '/^    path: alerts.jsonl/d' Config/feedwatch.yaml > $(confdir)/feedwatch.yaml
	test -e $(confdir)/rules.conf || install -m 0644 Config/rules.conf $(confdir)/rules.conf
	if [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ]; then systemctl daemon-reload; fi

uninstall:
	rm -f $(bindir)/feedwatch $(unitdir)/feedwatch.service $(rotatedir)/feedwatch $(man1dir)/feedwatch.1 \
		$(bashdir)/feedwatch $(zshdir)/_feedwatch $(fishdir)/feedwatch.fish
	if [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
	@echo "kept: $(confdir), /var/lib/feedwatch and /var/log/feedwatch (remove them by hand if you want)"

fuzz-build:
	@$(FUZZ_BUILD) 2>&1 | grep -v 'ld.gold: warning: Cannot export local symbol' >&2; test $${PIPESTATUS[0]} -eq 0

# Each target reads its seed corpus and keeps what it finds new in $(FUZZ_WORK)/corpus (out of the
# repository, and the start of the next run); a crash, a hang, a sanitizer report or a violated property
# leaves the input in $(FUZZ_WORK)/findings and fails the run. The Swift runtime's own crash backtracer
# is switched off: it reads memory AddressSanitizer guards and buries the finding under a report of its own.
$(addprefix fuzz-,$(FUZZ_TARGETS)): fuzz-%: fuzz-build
	@mkdir -p $(FUZZ_WORK)/corpus/$* $(FUZZ_WORK)/findings
	@echo "== fuzz-$*: $(FUZZ_SECONDS) s"
	@SWIFT_BACKTRACE=enable=no Fuzz/.build/release/fuzz-$* $(FUZZ_WORK)/corpus/$* Fuzz/corpus/$* -max_total_time=$(FUZZ_SECONDS) \
		-artifact_prefix=$(FUZZ_WORK)/findings/$*- -print_final_stats=1 -rss_limit_mb=4096 -timeout=10 \
		$(if $(fuzz_dict_$*),-dict=Fuzz/dict/$(fuzz_dict_$*).dict) >$(FUZZ_WORK)/fuzz-$*.log 2>&1; \
	status=$$?; grep -E '^(Done|stat::number_of_executed_units|stat::average_exec_per_sec)' $(FUZZ_WORK)/fuzz-$*.log; \
	if [ $$status -ne 0 ]; then grep -A40 -E '^==[0-9]+==ERROR|Fatal error|property violated|deadly signal' $(FUZZ_WORK)/fuzz-$*.log | head -60; \
		echo "fuzz-$*: a finding, see $(FUZZ_WORK)/fuzz-$*.log and $(FUZZ_WORK)/findings/"; exit 1; fi

# Every target runs, even after a finding, so one run reports them all.
fuzz: fuzz-build
	@failed=""; for t in $(FUZZ_TARGETS); do $(MAKE) --no-print-directory fuzz-$$t FUZZ_BUILD=true || failed="$$failed $$t"; done; \
	if [ -n "$$failed" ]; then echo "fuzz: findings in:$$failed"; exit 1; fi; echo "fuzz: no findings in $(FUZZ_TARGETS)"
