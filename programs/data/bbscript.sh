# A busybox sh script for pytests/test_busybox.py: each case prints
# "case NAME" and then its output; the test compares them line by line.
echo "case pipes"
printf 'apple\nbanana\ncherry\navocado\n' | grep a | wc -l
echo one two three | sed 's/two/2/' | tr a-z A-Z

echo "case redirection"
cd /tmp
echo first > r.txt
echo second >> r.txt
wc -l < r.txt
cat r.txt
ls /nonexistent > out.txt 2>&1
cat out.txt
rm r.txt out.txt

echo "case loops"
for i in 1 2 3; do echo "for $i"; done
n=0
while [ $n -lt 3 ]; do n=$((n + 1)); echo "while $n"; done
printf 'x y\nz w\n' | while read a b; do echo "read $b $a"; done

echo "case variables"
name=world
echo "hello $name ${name}s ${#name}"
unset name
echo "unset:${name:-default}"

echo "case control"
true && echo and-yes
false && echo and-no
false || echo or-yes
false; echo "status $?"
sh -c 'exit 7'; echo "status $?"
cd /data; pwd; cd /; pwd

echo "case substitution"
echo "lines: $(cat /data/hello.txt | wc -l)"
x=`echo back tick`; echo "$x"
(cd /tmp; echo "in subshell $(pwd)"); echo "after $(pwd)"

echo "case test"
[ -d /tmp ] && echo "tmp is a dir"
[ -f /data/hello.txt ] && echo "hello.txt is a file"
test 3 -gt 2 && echo "3 > 2"
[ "a" = "b" ] || echo "a != b"
[ -e /nonexistent ] || echo "no /nonexistent"

echo "case text"
printf '3\n1\n2\n10\n' | sort -n | head -2
printf 'c\nb\na\n' | sort | tail -1
seq 1 5 | tail -2
sed 's/memory/RAM/' /data/hello.txt
head -c 5 /data/hello.txt; echo

echo "case files"
mkdir -p /tmp/d/e
echo data > /tmp/d/e/f
cp /tmp/d/e/f /tmp/d/g
mv /tmp/d/g /tmp/d/h
ls -1 /tmp/d
cat /tmp/d/h
rm -r /tmp/d
ls /tmp/d 2>&1
ln -s /data/hello.txt /tmp/l && readlink /tmp/l && head -c 5 /tmp/l; echo
rm /tmp/l
touch /tmp/t
[ -x /tmp/t ] || echo "t: not executable"
chmod 755 /tmp/t && [ -x /tmp/t ] && echo "t: executable"
rm /tmp/t

echo "case done"
