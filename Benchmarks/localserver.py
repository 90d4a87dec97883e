# SPDX-License-Identifier: MIT
"""A local nginx (Debian package `nginx`, installed when missing) serving generated feeds on 127.0.0.1,
gzip-compressed, with keep-alive: the server side of the fetching benchmarks."""
import os
import shutil
import socket
import subprocess
import tempfile
import time

NGINX = "/usr/sbin/nginx"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def feed(i):
    items = "".join(
        "<item><title>Story %d-%d about ministers and markets</title><link>http://127.0.0.1/story/%d/%d</link>"
        "<guid>urn:feed:%d:%d</guid><pubDate>Sat, 01 Mar 2025 12:%02d:00 GMT</pubDate>"
        "<description>Officials said the talks on energy and the economy went on.</description></item>"
        % (i, k, i, k, i, k, k) for k in range(10))
    return ('<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Feed %d</title>'
            "<link>http://127.0.0.1/</link>%s</channel></rss>" % (i, items))


class LocalFeeds:
    """`count` feeds at /feeds/N.xml, served by nginx with gzip, ETag and Last-Modified, on `hosts`
    loopback addresses (127.0.0.1, 127.0.0.2, …: feeds spread over hosts as on the web). With
    `access_log`, each request's status is logged to `self.access_log`."""

    def __init__(self, count, hosts=1, access_log=False):
        if not os.path.exists(NGINX):
            subprocess.run(["apt-get", "install", "-y", "nginx"], check=True, stdout=subprocess.DEVNULL)
        self.root = tempfile.mkdtemp(prefix="feedwatch-nginx-")
        os.chmod(self.root, 0o755)  # nginx's workers run as an unprivileged user
        os.makedirs(os.path.join(self.root, "www", "feeds"))
        os.makedirs(os.path.join(self.root, "logs"))
        for i in range(count):
            with open(os.path.join(self.root, "www", "feeds", "%d.xml" % i), "w") as fh:
                fh.write(feed(i))
        self.port = free_port()
        conf = os.path.join(self.root, "nginx.conf")
        with open(conf, "w") as fh:
            fh.write("""
worker_processes 1;
pid %(root)s/nginx.pid;
error_log %(root)s/logs/error.log warn;
events { worker_connections 8192; }
http {
    %(log)s
    types { application/rss+xml xml; }
    keepalive_requests 100000;
    keepalive_timeout 60s;
    gzip on; gzip_types application/rss+xml; gzip_min_length 0;
    client_body_temp_path %(root)s/tmp; proxy_temp_path %(root)s/tmp; fastcgi_temp_path %(root)s/tmp;
    uwsgi_temp_path %(root)s/tmp; scgi_temp_path %(root)s/tmp;
    server { %(listen)s root %(root)s/www; etag on; }
}
""" % {"root": self.root, "port": self.port,
       "listen": " ".join("listen 127.0.0.%d:%d;" % (h + 1, self.port) for h in range(hosts)),
       "log": ("log_format st '$status'; access_log %s st;" % os.path.join(self.root, "logs", "access.log"))
              if access_log else "access_log off;"})
        self.access_log = os.path.join(self.root, "logs", "access.log")
        self.process = subprocess.Popen([NGINX, "-p", self.root, "-c", conf, "-g", "daemon off;"])
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        self.urls = ["http://127.0.0.%d:%d/feeds/%d.xml" % (i % hosts + 1, self.port, i) for i in range(count)]

    def statuses(self):
        """Statuses logged so far (with `access_log`), then the log is emptied."""
        with open(self.access_log, "r+") as fh:
            statuses = fh.read().split()
            fh.truncate(0)
        return statuses

    def close(self):
        self.process.terminate()
        self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)
