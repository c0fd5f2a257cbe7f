vcl 4.1;

# Varnish in front of cxcs: keeps the public pages the site marks
# "public, s-maxage=…", and drops all of them when an app server sends a
# BAN request, which every save does when the site runs with
# DJANGO_CACHE_PURGE_URLS=http://<this varnish>/ (operations/cdn.py).
# tests/test_scale_out.py runs this file with its backend's port changed.
#
# Varnish adds the client's address to X-Forwarded-For: count it in
# DJANGO_TRUSTED_PROXIES.

backend default {
    .host = "127.0.0.1";
    .port = "8000";
}

# The app servers, which may drop cached pages.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    if (req.method == "BAN") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        # Every page: a save changes lists, feeds and links as well as its own page.
        ban("obj.status != 0");
        return (synth(200, "Banned"));
    }
}

sub vcl_backend_response {
    # Only what the site marks cacheable is kept; the rest (campaign links with
    # a query string, searches) is fetched afresh each time.
    if (!beresp.http.Cache-Control) {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
}
