//! Traditional characters folded to simplified ones: a table of one-to-one pairs written for
//! zhibu from common characters (the Party's, the branch's and everyday vocabulary), checked
//! against OpenCC's `t2s` conversion during writing, not copied from any data set. Only
//! characters that are never correct simplified text themselves are folded: 乾, 著, 藉 and 瞭
//! are left alone because simplified Chinese uses them too.
//!
//! The index ships the pairs whose simplified character occurs in the site (`meta.json`'s `f`),
//! so the browser folds a query the same way without carrying the table in `search.js`.

use std::sync::OnceLock;

/// Pairs of (traditional, simplified) characters, 24 pairs a line.
const PAIRS: &[&str] = &[
    "黨党員员會会學学習习們们這这個个說说時时來来對对後后發发髮发經经動动開开關关問问題题門门長长東东",
    "車车書书馬马鳥鸟魚鱼龍龙見见現现還还進进過过運运達达遠远選选連连錢钱鐵铁銀银電电話话語语讀读課课",
    "論论議议記记設设許许認认識识誌志計计訂订討讨證证証证評评詞词試试誠诚調调談谈請请諸诸謝谢講讲變变",
    "歷历曆历區区醫医華华萬万與与爲为為为無无義义樂乐買买賣卖實实寫写專专導导將将當当歲岁歸归廣广應应",
    "慶庆廠厂幹干幾几張张強强彈弹從从復复複复徵征態态總总戰战擊击據据數数斷断於于條条極极構构標标機机",
    "權权歡欢氣气決决沒没準准滅灭漢汉濟济燈灯熱热爭争狀状獨独獲获穫获產产畫画療疗盡尽儘尽監监碼码礎础",
    "確确際际種种稱称穩稳競竞筆笔節节範范築筑簡简級级紀纪約约紅红純纯紙纸組组細细終终結结給给絡络統统",
    "絕绝綜综綠绿維维網网線线綫线編编練练縣县織织繼继續续罰罚羅罗聯联聲声職职聽听肅肃脫脱腦脑興兴舉举",
    "舊旧艱艰藝艺藥药處处號号蘇苏衛卫補补裝装製制規规視视親亲覺觉觀观訊讯訪访診诊詢询該该詳详誤误謀谋",
    "護护讓让負负財财責责貨货質质費费貿贸資资賽赛贊赞讚赞趙赵軍军輔辅輕轻載载輯辑輸输轉转辦办農农週周",
    "違违遞递適适遺遗邊边郵邮鄉乡釋释錄录鋼钢錯错鍵键鎮镇間间閱阅隊队陽阳陰阴險险隨随隱隐雖虽雙双雜杂",
    "離离難难雲云靈灵韓韩頁页項项順顺須须鬚须預预領领頭头額额顏颜願愿類类顯显風风飛飞館馆養养驗验體体",
    "鬥斗黃黄齊齐團团糰团圖图園园圍围國国壓压報报場场塊块壞坏壯壮夢梦奪夺奮奋婦妇媽妈孫孙寧宁審审寬宽",
    "屆届層层屬属島岛帥帅師师帶带幫帮庫库廳厅彙汇匯汇滙汇徑径憶忆懷怀憲宪戲戏擁拥擔担擴扩攝摄敗败敵敌",
    "暢畅曉晓愛爱務务獻献綱纲億亿勝胜勞劳勢势勵励勸劝協协單单嚴严環环傳传優优價价儀仪偉伟倫伦側侧備备",
    "傷伤僅仅償偿兒儿內内兩两冊册凍冻則则剛刚創创劇剧劉刘劃划勁劲參参叢丛啓启啟启喚唤喪丧嗎吗噸吨圓圆",
    "執执堅坚墊垫壇坛罈坛壽寿夠够奧奥妝妆婁娄嬰婴寶宝寢寝尋寻屍尸岡冈峽峡嶺岭巖岩幣币帳帐幟帜廟庙廢废",
    "廬庐彎弯彥彦徹彻惡恶惱恼慘惨慣惯憂忧憑凭懲惩懶懒戀恋戶户拋抛挾挟捨舍掃扫掛挂採采揚扬換换損损搖摇",
    "搶抢撥拨撫抚擇择擠挤擬拟擾扰攔拦攜携敘叙敍叙斃毙暈晕暫暂朧胧棄弃棟栋棧栈業业楊杨榮荣槍枪樓楼樣样",
    "樹树橋桥檢检櫃柜歐欧殘残殺杀殼壳毀毁湯汤滿满漁渔漲涨潔洁潛潜澤泽濃浓濕湿溼湿瀏浏灣湾災灾烏乌煙烟",
    "煩烦爐炉爺爷牆墙犧牺猶犹獄狱獎奖奬奖瑪玛畢毕異异疊叠瘋疯盜盗盤盘眾众衆众睜睁礙碍禍祸禮礼禦御積积",
    "窮穷竊窃簽签籤签籃篮籌筹糧粮糾纠紡纺緊紧緒绪締缔緣缘縮缩績绩繩绳繪绘罷罢羣群聞闻聖圣脅胁脹胀腎肾",
    "膚肤臉脸臨临臺台檯台颱台艦舰莊庄葉叶蔣蒋蘭兰虛虚蟲虫術术衝冲沖冲裡里裏里襪袜覽览觸触訓训託托訴诉",
    "詩诗誇夸誰谁諾诺謂谓謊谎謹谨譯译豐丰豬猪貝贝貢贡貧贫貫贯貴贵貸贷賀贺賓宾賜赐賞赏賠赔賢贤賬账購购",
    "贈赠贏赢趕赶跡迹蹟迹踐践蹤踪躍跃軌轨軟软較较輛辆輪轮轄辖辭辞迴回遜逊遲迟鄧邓醬酱釘钉針针鈔钞鈴铃",
    "鉛铅銅铜銷销鋪铺舖铺鍋锅鍛锻鏡镜鐘钟鍾钟鑒鉴鑑鉴閉闭閒闲閑闲閣阁閥阀陳陈陸陆階阶雞鸡霧雾靜静響响",
    "頂顶頒颁頓顿頗颇頻频顧顾飯饭飲饮飽饱飾饰餅饼餘余饑饥飢饥饒饶駐驻駕驾騎骑騰腾驅驱驚惊骯肮鬧闹魯鲁",
    "鮮鲜鳳凤鴻鸿麥麦麗丽點点齒齿龜龟擺摆搗捣攤摊攬揽撲扑撿捡擋挡爾尔彌弥嘗尝嘆叹歎叹噴喷囑嘱墳坟壘垒",
    "壩坝妳你寵宠廁厕廂厢廈厦廚厨彆别恆恒悅悦悶闷愴怆慮虑憐怜憤愤懇恳懸悬懼惧捲卷掙挣揀拣斂敛斬斩晝昼",
    "晉晋暉晖曬晒柵栅棲栖楓枫槓杠樁桩樞枢橫横檔档櫻樱欄栏殲歼毆殴氈毡氫氢況况淚泪淨净凈净淪沦淺浅渙涣",
    "減减渦涡測测渾浑湊凑溝沟溫温滄沧滬沪滯滞滲渗滾滚漸渐潑泼潤润澀涩澆浇濁浊濤涛濫滥瀉泻瀋沈瀕濒灑洒",
    "灘滩烴烃煉炼鍊炼熾炽燒烧燙烫燦灿燭烛營营爛烂犢犊狹狭狽狈獅狮獵猎瑣琐瓊琼甕瓮畝亩瘡疮癢痒皺皱盞盏",
    "盧卢睏困矯矫礦矿碩硕磚砖祿禄禪禅禱祷稅税稈秆稟禀穀谷窩窝窯窑竄窜筍笋箏筝篤笃簍篓簾帘籠笼粵粤糞粪",
    "紋纹納纳紐纽紗纱紛纷紮扎絞绞絲丝綁绑綢绸緝缉緩缓緯纬縛缚縫缝縱纵繃绷繞绕繡绣繳缴纏缠纖纤罵骂羨羡",
    "翹翘聰聪聳耸脈脉腸肠膠胶膩腻膽胆臟脏髒脏臍脐艙舱艷艳豔艳莖茎荊荆萊莱葷荤蒼苍蓋盖蓮莲蔔卜蔥葱蕭萧",
    "薦荐薩萨藍蓝蘆芦蘋苹虜虏蝦虾蝕蚀螞蚂蟬蝉蠅蝇蠟蜡蠶蚕蠻蛮褲裤襖袄覓觅訃讣訝讶訟讼訣诀詐诈詠咏誕诞",
    "誘诱誦诵誼谊諒谅諧谐諮咨謙谦謠谣謬谬譏讥譜谱譴谴讒谗豎竖豈岂貓猫貞贞販贩貪贪貶贬貼贴賄贿賊贼賭赌",
    "賴赖賺赚賦赋賤贱贓赃贖赎趨趋踴踊軀躯軒轩輝辉輩辈輿舆轎轿轟轰辯辩辮辫邁迈遙遥遷迁邏逻醞酝釀酿鈍钝",
    "鈕钮鉤钩銘铭銳锐鋒锋鋤锄錘锤錦锦鍍镀鎖锁鏈链鑄铸鑰钥鑽钻閃闪閨闺闊阔闖闯陣阵陝陕隕陨隸隶雛雏韋韦",
    "韌韧韻韵頌颂頸颈頹颓顆颗顛颠飄飘飼饲餓饿餵喂饋馈馱驮馴驯駁驳駛驶駱骆駿骏騙骗騷骚驕骄驟骤鬆松鬍胡",
    "鯨鲸鴨鸭鴿鸽鵝鹅鶴鹤鷹鹰鹽盐麵面黴霉齡龄龐庞亂乱亞亚佔占係系繫系俠侠倆俩倉仓倖幸偵侦偽伪僞伪傘伞",
    "傢家僑侨儉俭兇凶兌兑凱凯刪删別别剝剥劍剑劑剂勳勋卻却厲厉厭厌吳吴呂吕啞哑喬乔嗚呜嘩哗嘯啸噹当嚇吓",
    "嚨咙囂嚣塗涂塢坞墾垦壟垄壺壶夾夹娛娱嬌娇尷尴屜屉屢屡崗岗嵐岚巒峦巔巅幀帧弔吊揮挥擰拧擲掷攏拢曠旷",
    "桿杆棗枣漬渍潰溃煥焕熒荧獰狞瑩莹疇畴癡痴盪荡蕩荡瞞瞒矚瞩祕秘稜棱穎颖窪洼竅窍篩筛紳绅絨绒纜缆羈羁",
    "腫肿薑姜虧亏蝸蜗螢萤襯衬誡诫諜谍諭谕諺谚謎谜賂赂賑赈贅赘軸轴輟辍輾辗轍辙遼辽鄰邻醜丑釣钓鋁铝錫锡",
    "鏟铲鑼锣閘闸閩闽閻阎闡阐隴陇頰颊顱颅餃饺餡馅饅馒駝驼驢驴鬱郁鳴鸣鴉鸦鵬鹏鷗鸥鷺鹭麼么齋斋隻只遊游",
    "纔才腳脚鞏巩紹绍鄭郑並并併并佈布傑杰儲储勻匀嚮向夥伙嶽岳慚惭慾欲憊惫擱搁攪搅朶朵樺桦欽钦漿浆澱淀",
    "濾滤瀟潇燼烬瑤瑶瘍疡癒愈盃杯禿秃穢秽窺窥箇个緻致脣唇臥卧蘿萝蟻蚁釐厘鈞钧鈣钙鉅巨銜衔鋸锯錨锚鎊镑",
    "鏽锈闢辟頑顽顫颤馳驰駒驹駭骇驛驿鮑鲍鯉鲤鱗鳞鵲鹊墻墙衚胡絳绛綿绵緬缅縷缕繽缤纓缨藹蔼蘊蕴蠍蝎誹诽",
    "謗谤諱讳譚谭讖谶賈贾貯贮賃赁贛赣輻辐轅辕郟郏鄒邹醱酦釗钊鈷钴銬铐鋅锌錠锭鍬锹鎚锤鏢镖鐸铎閏闰閔闵",
    "闈闱陘陉雋隽靄霭韜韬頡颉顥颢颶飓餌饵餒馁駙驸騖骛驍骁鬩阋鯽鲫鴕鸵鵑鹃鶯莺鷓鹧鸚鹦麩麸黶黡齔龀齜龇",
    "龔龚",
];

fn table() -> &'static [(char, char)] {
    static TABLE: OnceLock<Vec<(char, char)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut pairs: Vec<(char, char)> = PAIRS
            .iter()
            .flat_map(|line| {
                let chars: Vec<char> = line.chars().collect();
                chars.chunks(2).map(|p| (p[0], p[1])).collect::<Vec<_>>()
            })
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        pairs
    })
}

/// The simplified form of `c`, or `c` itself.
pub fn simplified(c: char) -> char {
    // Every traditional character of the table lies in the CJK Unified Ideographs block.
    if !('\u{4E00}'..='\u{9FFF}').contains(&c) {
        return c;
    }
    let t = table();
    match t.binary_search_by(|(k, _)| k.cmp(&c)) {
        Ok(i) => t[i].1,
        Err(_) => c,
    }
}

/// Every pair, sorted by the traditional character.
pub fn pairs() -> &'static [(char, char)] {
    table()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_is_one_to_one_and_never_chains() {
        let t = table();
        for w in t.windows(2) {
            assert_ne!(w[0].0, w[1].0, "{} is listed twice with different targets", w[0].0);
        }
        for (trad, simp) in t {
            assert!(
                t.binary_search_by(|(k, _)| k.cmp(simp)).is_err(),
                "{trad}→{simp} and {simp} is folded again"
            );
            assert!(('\u{4E00}'..='\u{9FFF}').contains(trad), "{trad} outside the block");
        }
        assert!(t.len() > 800, "{}", t.len());
    }

    #[test]
    fn common_party_terms_fold() {
        let fold = |s: &str| s.chars().map(simplified).collect::<String>();
        assert_eq!(fold("黨費"), "党费");
        assert_eq!(fold("兩學一做"), "两学一做");
        assert_eq!(fold("發展對象"), "发展对象");
        assert_eq!(fold("組織關係轉接"), "组织关系转接");
        assert_eq!(fold("乾隆著作"), "乾隆著作");
    }
}
