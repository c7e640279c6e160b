module github.com/havpn/pulumi-havpn

go 1.26.6
