# SPDX-License-Identifier: BSD-2-Clause
# The one place that maps the host's `uname -m` to hvcov's architecture
# names (x86_64, arm64, arm), for the scripts and make rules.  Sourced, it
# defines host_arch; run, it prints the name.  An unknown host is an error
# (exit 2), never a guess: a wrong guess would pick another architecture's
# QEMU, compiler or gcov.
host_arch() {
	host_arch_machine=$(uname -m)
	case $host_arch_machine in
	x86_64 | amd64) echo x86_64 ;;
	aarch64 | arm64) echo arm64 ;;
	armv7* | armv8l) echo arm ;;
	*)
		echo "host-arch: the host's machine '$host_arch_machine' is not one hvcov knows (x86_64, aarch64, armv7l, armv8l)" >&2
		return 2
		;;
	esac
}

case ${0##*/} in
host-arch.sh) host_arch ;;
esac
