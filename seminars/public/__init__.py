"""The public pages: views, urls, sitemaps, the page cache, its warming and invalidation, the
map."""
