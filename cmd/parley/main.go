package main
import (
 _ "go.yaml.in/yaml/v3"
 _ "modernc.org/sqlite"
 _ "github.com/spf13/cobra"
 _ "github.com/schollz/progressbar/v3"
 _ "golang.org/x/term"
 _ "golang.org/x/text/unicode/norm"
 _ "github.com/google/go-cmp/cmp"
)
func main(){}
