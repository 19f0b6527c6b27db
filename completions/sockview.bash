# bash completion for sockview                                -*- shell-script -*-
#
# Completes every option of `sockview --help`, the values of --format, the
# network namespaces of /run/netns after -N, the words of the filter
# language after -f and for a trailing expression, and file names where an
# option takes a file. tests/unit/completion.sh checks these lists against
# the program's --help and the filter language's manual.

_sockview()
{
	local cur prev
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD-1]}

	# sockview-options-begin
	local opts="-t --tcp -u --udp -x --unix -w --raw -0 --packet --netlink -M --mptcp
		-4 --ipv4 -6 --ipv6
		-l --listening -f --filter= -d --delay= -N --netns= -1 --once
		--format= --no-processes --no-color --no-config -h --help -V --version
		--group= --rate=
		-a -n -p -e --extended -i --info -m --memory
		-o --options -s --summary -H --no-header -F --filter-file= -K --kill
		--watch --interval= --all-netns --tour"
	# sockview-options-end
	# sockview-formats: table json csv
	local formats="table json csv ndjson"
	# sockview-filter-words-begin
	local words="tcp udp raw unix packet netlink mptcp inet ipv4 inet6 ipv6 state exclude sport dport
		port src dst addr path pid comm user uid inode dev fwmark cgroup autobound peer netns service
		and or not
		established syn-sent syn-recv fin-wait-1 fin-wait-2 time-wait closed
		close-wait last-ack listening closing all connected synchronized
		bucket big"
	# sockview-filter-words-end

	# --opt=value forms
	case $cur in
	--format=*)
		COMPREPLY=($(compgen -W "$formats" -- "${cur#--format=}"))
		return
		;;
	--filter-file=*)
		COMPREPLY=($(compgen -f -- "${cur#--filter-file=}"))
		return
		;;
	--netns=*)
		COMPREPLY=($(compgen -W "$(_sockview_netns)" -- "${cur#--netns=}"))
		return
		;;
	--group=*)
		COMPREPLY=($(compgen -W "process service" -- "${cur#--group=}"))
		return
		;;
	--delay=* | --rate=* | --interval=*)
		COMPREPLY=($(compgen -W "0.5 1 2 5" -- "${cur#--*=}"))
		return
		;;
	--filter=*)
		COMPREPLY=($(compgen -W "$words" -- "${cur#--filter=}"))
		return
		;;
	esac
	case $prev in
	-F | --filter-file)
		COMPREPLY=($(compgen -f -- "$cur"))
		return
		;;
	-N | --netns)
		COMPREPLY=($(compgen -W "$(_sockview_netns)" -- "$cur"))
		return
		;;
	--format)
		COMPREPLY=($(compgen -W "$formats" -- "$cur"))
		return
		;;
	-d | --delay | --interval)
		COMPREPLY=($(compgen -W "0.5 1 2 5" -- "$cur"))
		return
		;;
	-f | --filter)
		COMPREPLY=($(compgen -W "$words" -- "$cur"))
		return
		;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
		# an option ending in '=' waits for its value: no space after it
		[[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *= ]] && compopt -o nospace 2>/dev/null
		return
	fi
	# anything else is a trailing filter expression, as ss takes it
	COMPREPLY=($(compgen -W "$words" -- "$cur"))
}

# The names under /run/netns, as -N takes them.
_sockview_netns()
{
	local f
	echo all
	for f in /run/netns/*; do
		[[ -e $f ]] && printf '%s\n' "${f##*/}"
	done
}

complete -F _sockview sockview
