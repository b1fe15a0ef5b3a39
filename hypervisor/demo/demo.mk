# SPDX-License-Identifier: BSD-2-Clause
# The reference hypervisor (hypervisor/demo) adds its tests here.
