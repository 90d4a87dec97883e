# SPDX-License-Identifier: MIT
# make install [DESTDIR=…] [PREFIX=/usr/local]   release build, then the binary, unit, logrotate file
#                                                and (only where absent) the configuration
# make uninstall                                 removes what install put in place, except the
#                                                configuration, the state and the alert files
PREFIX ?= /usr/local
DESTDIR ?=
SYSCONFDIR ?= /etc
BUILD ?= swift build -c release --static-swift-stdlib
BINARY ?= .build/release/feedwatch

bindir := $(DESTDIR)$(PREFIX)/bin
unitdir := $(DESTDIR)$(PREFIX)/lib/systemd/system
confdir := $(DESTDIR)$(SYSCONFDIR)/feedwatch
rotatedir := $(DESTDIR)$(SYSCONFDIR)/logrotate.d

.PHONY: build install uninstall

build:
	$(BUILD)

install: build
	install -d -m 0755 $(bindir) $(unitdir) $(rotatedir) $(confdir)
	install -m 0755 $(BINARY) $(bindir)/feedwatch
	sed 's|/usr/local/bin/feedwatch|$(PREFIX)/bin/feedwatch|' systemd/feedwatch.service > $(unitdir)/feedwatch.service
	chmod 0644 $(unitdir)/feedwatch.service
	install -m 0644 systemd/feedwatch.logrotate $(rotatedir)/feedwatch
	@# Under systemd, state and alerts go to StateDirectory= and LogsDirectory=: the sample's
	@# state_dir and alert path (relative, for trying Feedwatch out) are left out.
	test -e $(confdir)/feedwatch.yaml || sed -e '/^state_dir:/d' -e '/^    path: alerts.jsonl/d' Config/feedwatch.yaml > $(confdir)/feedwatch.yaml
	test -e $(confdir)/rules.conf || install -m 0644 Config/rules.conf $(confdir)/rules.conf
	if [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ]; then systemctl daemon-reload; fi

uninstall:
	rm -f $(bindir)/feedwatch $(unitdir)/feedwatch.service $(rotatedir)/feedwatch
	if [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ]; then systemctl daemon-reload; fi
	@echo "kept: $(confdir), /var/lib/feedwatch and /var/log/feedwatch (remove them by hand if you want)"
