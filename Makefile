# SPDX-License-Identifier: MIT
# make install [DESTDIR=…] [PREFIX=/usr/local]   release build and man page, then the binary, man page,
#                                                shell completions, unit, logrotate file and (only
#                                                where absent) the configuration
# make man                                       the man page (ArgumentParser's generate-manual plugin)
# make uninstall                                 removes what install put in place, except the
#                                                configuration, the state and the alert files
PREFIX ?= /usr/local
DESTDIR ?=
SYSCONFDIR ?= /etc
BUILD ?= swift build -c release --static-swift-stdlib
BINARY ?= .build/release/feedwatch
MANDIR ?= .build/man
MANUAL ?= mkdir -p $(MANDIR) && swift package --allow-writing-to-directory $(MANDIR) generate-manual --output-directory $(MANDIR)

bindir := $(DESTDIR)$(PREFIX)/bin
unitdir := $(DESTDIR)$(PREFIX)/lib/systemd/system
confdir := $(DESTDIR)$(SYSCONFDIR)/feedwatch
rotatedir := $(DESTDIR)$(SYSCONFDIR)/logrotate.d
man1dir := $(DESTDIR)$(PREFIX)/share/man/man1
bashdir := $(DESTDIR)$(PREFIX)/share/bash-completion/completions
zshdir := $(DESTDIR)$(PREFIX)/share/zsh/site-functions
fishdir := $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d

.PHONY: build man install uninstall

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
