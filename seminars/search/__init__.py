"""Search across every published edition, in both languages at once (`/<lang>/search/?q=…`).

`folding` makes one spelling of every character (width, case, Japanese shinjitai, traditional and
simplified Han); `models.SearchEntry` holds each text of each published edition with its folded
form; `index` keeps those rows in step with the record (after every commit that touched an
edition, and after every migrate and flush); `query` finds and highlights; `views` is the page.
"""
