module example.com/dr-demo

go 1.19

require github.com/libsdrs/libsdrs/bindings/go v0.0.0-00010101000000-000000000000

replace github.com/libsdrs/libsdrs/bindings/go => ../../../bindings/go
