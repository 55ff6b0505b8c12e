package synth

import (
	"hash/fnv"
	"math"
	"math/rand/v2"
	"strconv"
	"time"
)

// stream returns an independent generator for one named part of the output, so that a file's
// content depends only on the seed and its name, never on the order goroutines run in.
func stream(seed uint64, name string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(name))
	return rand.New(rand.NewPCG(seed, h.Sum64()))
}

func poisson(r *rand.Rand, lambda float64) int {
	if lambda <= 0 {
		return 0
	}
	if lambda > 40 {
		n := int(math.Round(lambda + math.Sqrt(lambda)*r.NormFloat64()))
		if n < 0 {
			return 0
		}
		return n
	}
	l := math.Exp(-lambda)
	k, p := 0, 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

func binomial(r *rand.Rand, n int, p float64) int {
	k := 0
	for i := 0; i < n; i++ {
		if r.Float64() < p {
			k++
		}
	}
	return k
}

func logistic(x float64) float64 { return 1 / (1 + math.Exp(-x)) }

func clamp(x, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, x)) }

// pick draws an index with probability proportional to w.
func pick(r *rand.Rand, w []float64) int {
	t := 0.0
	for _, v := range w {
		t += v
	}
	x := r.Float64() * t
	for i, v := range w {
		x -= v
		if x < 0 {
			return i
		}
	}
	return len(w) - 1
}

// Days are counted from 1970-01-01 (UTC), so a date is one int and arithmetic is exact.
func dayOf(y int, m time.Month, d int) int {
	return int(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

func civil(day int) time.Time { return time.Unix(int64(day)*86400, 0).UTC() }

// dateTable holds the ISO form of every day of the generated years, built once, so that hot
// loops never format a date.
type dateTable struct {
	first int
	iso   []string
}

func newDateTable(fromYear, toYear int) *dateTable {
	first := dayOf(fromYear, 1, 1)
	last := dayOf(toYear, 12, 31)
	t := &dateTable{first: first, iso: make([]string, last-first+1)}
	for d := first; d <= last; d++ {
		t.iso[d-first] = civil(d).Format("2006-01-02")
	}
	return t
}

func (t *dateTable) str(day int) string {
	if i := day - t.first; i >= 0 && i < len(t.iso) {
		return t.iso[i]
	}
	return civil(day).Format("2006-01-02")
}

// smallInts caches the text of small non-negative integers.
var smallInts = func() []string {
	s := make([]string, 2000)
	for i := range s {
		s[i] = strconv.Itoa(i)
	}
	return s
}()

func itoa(n int) string {
	if n >= 0 && n < len(smallInts) {
		return smallInts[n]
	}
	return strconv.Itoa(n)
}

// tenths caches km values 0.0 … 999.9.
var tenths = func() []string {
	s := make([]string, 10000)
	for i := range s {
		s[i] = strconv.FormatFloat(float64(i)/10, 'f', 1, 64)
	}
	return s
}()

func fmtTenths(x float64) string {
	i := int(math.Round(x * 10))
	if i >= 0 && i < len(tenths) {
		return tenths[i]
	}
	return strconv.FormatFloat(float64(i)/10, 'f', 1, 64)
}

// padID appends prefix and n zero-padded to width digits.
func padID(prefix string, n, width int) string {
	b := make([]byte, 0, len(prefix)+width)
	b = append(b, prefix...)
	s := strconv.AppendInt(nil, int64(n), 10)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return string(append(b, s...))
}

var surnames = []string{"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "高", "林", "罗",
	"郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡",
	"余", "杜", "叶", "程", "苏", "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金",
	"欧阳", "司马", "诸葛", "上官"}

var givenChars = []string{"伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀", "霞", "平",
	"刚", "桂", "英", "华", "文", "辉", "鑫", "宇", "浩", "凯", "健", "俊", "帆", "帅", "旭", "宁", "玲", "婷", "雪", "琳",
	"建", "国", "志", "海", "峰", "斌", "波", "亮", "红", "晨", "鹏", "飞", "博", "晓", "欣", "悦", "子", "轩", "怡", "梓"}

// rareChars need four bytes in GB18030 and in UTF-8; real rosters contain a few of them.
var rareChars = []string{"𠮷", "𡈼", "𣲗", "𤧛"}

func personName(r *rand.Rand, rare bool) string {
	s := surnames[r.IntN(len(surnames))]
	if rare {
		return s + rareChars[r.IntN(len(rareChars))] + givenChars[r.IntN(len(givenChars))]
	}
	g := givenChars[r.IntN(len(givenChars))]
	if r.IntN(3) > 0 {
		g += givenChars[r.IntN(len(givenChars))]
	}
	return s + g
}

var regionCodes = []string{"320102", "320104", "320106", "320111", "320115", "320281", "320583", "321002", "330102", "340104", "370102", "410105"}

// idNumber makes an 18-digit resident ID number with a valid GB 11643 check digit.
func idNumber(r *rand.Rand, birthYear int) string {
	b := make([]byte, 0, 18)
	b = append(b, regionCodes[r.IntN(len(regionCodes))]...)
	b = strconv.AppendInt(b, int64(birthYear), 10)
	m, d := 1+r.IntN(12), 1+r.IntN(28)
	b = append(b, byte('0'+m/10), byte('0'+m%10), byte('0'+d/10), byte('0'+d%10))
	seq := r.IntN(1000)
	b = append(b, byte('0'+seq/100), byte('0'+seq/10%10), byte('0'+seq%10))
	return string(append(b, idCheckDigit(b)))
}

func idCheckDigit(b []byte) byte {
	weights := [17]int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
	sum := 0
	for i := 0; i < 17; i++ {
		sum += int(b[i]-'0') * weights[i]
	}
	return "10X98765432"[sum%11]
}

var phonePrefixes = []string{"130", "133", "135", "136", "137", "138", "139", "150", "151", "152", "158", "159", "177", "180", "181", "186", "187", "188", "189", "199"}

func phone(r *rand.Rand) string {
	return phonePrefixes[r.IntN(len(phonePrefixes))] + padID("", r.IntN(100000000), 8)
}
