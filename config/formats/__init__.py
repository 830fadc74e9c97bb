"""Input formats in both staff languages (FORMAT_MODULE_PATH): dates as the admin shows them.

Django's Japanese locale has no input formats, and its Simplified Chinese one writes 2016年9月5日
as "%Y年%n月%j日", which strptime reads as a day of the year: neither accepts "2018年7月11日".
"""

DATE_INPUT_FORMATS = ["%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日", "%Y.%m.%d"]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S", "%H時%M分", "%H点%M分", "%H:%M:%S.%f"]
DATETIME_INPUT_FORMATS = [
    f"{date} {time}" for date in DATE_INPUT_FORMATS for time in ("%H:%M:%S", "%H:%M")
] + [f"{date}{time}" for date in ("%Y年%m月%d日",) for time in (" %H時%M分", "%H:%M")]
