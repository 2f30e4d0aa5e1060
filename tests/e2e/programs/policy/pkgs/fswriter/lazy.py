VALUE = "lazy-ok"
