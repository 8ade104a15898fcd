module github.com/parley-chat/parley/internal/duckling/datelibs

go 1.26.8

require (
	github.com/markusmobius/go-dateparser v1.4.7
	github.com/olebedev/when v1.1.0
)

require (
	github.com/AlekSi/pointer v1.0.0 // indirect
	github.com/markusmobius/go-dateutil/v2 v2.9.1 // indirect
	github.com/pkg/errors v0.8.1 // indirect
	github.com/tetratelabs/wazero v1.12.0 // indirect
	github.com/wasilibs/go-re2 v1.12.0 // indirect
	github.com/wasilibs/wazero-helpers v0.0.0-20250123031827-cd30c44769bb // indirect
	golang.org/x/sys v0.50.0 // indirect
	golang.org/x/text v0.44.0 // indirect
)

require github.com/parley-chat/parley v0.0.0

replace github.com/parley-chat/parley => ../../..
