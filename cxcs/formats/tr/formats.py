# Turkish dates without a leading zero ("6 Aralık 2026"), as Turkish is written
# and as Hebrew pages show theirs; Django's Turkish formats for the rest.
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y H:i"
SHORT_DATE_FORMAT = "j M Y"
SHORT_DATETIME_FORMAT = "j M Y H:i"
MONTH_DAY_FORMAT = "j F"
