# pytests/test_busybox.py's first process: bbscript.sh, then the kernel's
# free pages (/bin/freepages: sysinfo(2)) before and after a third run of
# it (the second makes the shell's own heap as large as it gets).
sh /data/bbscript.sh
sh /data/bbscript.sh > /dev/null
before=$(freepages)
sh /data/bbscript.sh > /dev/null
after=$(freepages)
echo "leak-check: free pages before $before after $after"
