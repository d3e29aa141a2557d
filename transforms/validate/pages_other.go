//go:build !linux

package validate

func hugePages([]byte) {}

func dropPages([]byte) {}
