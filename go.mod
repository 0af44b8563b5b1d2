module github.com/asyncmig/asyncmig

go 1.26.8
