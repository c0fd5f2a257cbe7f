vcl 4.1;

# Varnish in front of cxcs: keeps the public pages the site marks
# "public, s-maxage=…", and drops those a save changed when an app server
# sends a BAN request, which every save does when the site runs with
# DJANGO_CACHE_PURGE_URLS=http://<this varnish>/ (operations/cdn.py): the
# pages whose X-Page-Targets header (on every response saying s-maxage, "*"
# on one showing too much to name) matches the request's X-Ban-Targets, or
# every page when it has none (a restore, the brand, a deploy).
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
        if (req.http.X-Ban-Targets) {
            # The pages showing what the save changed (its page, lists, feeds…).
            ban("obj.http.X-Page-Targets ~ " + req.http.X-Ban-Targets);
        } else {
            # Every page: a restore, the brand, a new deploy.
            ban("obj.status != 0");
        }
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

sub vcl_deliver {
    # For the BANs alone: readers need not know what a page shows.
    unset resp.http.X-Page-Targets;
}
