//go:build !unix

package config

import "io/fs"

// checkPrivate checks nothing here: Windows folders are guarded by ACLs,
// which the Unix mode bits Go reports do not describe.
func checkPrivate(string, fs.FileInfo) error { return nil }

// checkAncestors checks nothing here, for the same reason.
func checkAncestors(string) error { return nil }
