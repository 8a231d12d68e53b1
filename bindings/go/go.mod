module github.com/libsdrs/libsdrs/bindings/go

go 1.19
