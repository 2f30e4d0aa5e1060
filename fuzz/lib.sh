# fuzz/lib.sh - shared by smoke.sh and campaign.sh (sourced).

# max_len NAME - the largest input for target NAME (libFuzzer -max_len):
# walker and ELF inputs are whole address spaces or images.
max_len() {
	case $1 in
	walker|elf) echo 65536 ;;
	maps) echo 16384 ;;
	*) echo 8192 ;;
	esac
}
