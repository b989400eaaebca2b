BEGIN TRANSACTION;
CREATE TABLE cases (
	permit_no VARCHAR NOT NULL, 
	workflow_id VARCHAR NOT NULL, 
	campaign VARCHAR NOT NULL, 
	mine_name VARCHAR NOT NULL, 
	holder VARCHAR NOT NULL, 
	township VARCHAR NOT NULL, 
	leader VARCHAR NOT NULL, 
	mineral VARCHAR NOT NULL, 
	bare_area_mu FLOAT NOT NULL, 
	resources_exhausted BOOLEAN NOT NULL, 
	never_produced BOOLEAN NOT NULL, 
	fictional BOOLEAN NOT NULL, 
	stage VARCHAR NOT NULL, 
	path VARCHAR NOT NULL, 
	next_due DATE, 
	next_due_kind VARCHAR, 
	overdue BOOLEAN NOT NULL, 
	works VARCHAR NOT NULL, 
	acceptance_date DATE, 
	registered_at DATETIME NOT NULL, 
	updated_at DATETIME NOT NULL, 
	last_seq INTEGER NOT NULL, 
	PRIMARY KEY (permit_no)
);
INSERT INTO "cases" VALUES('C9999000000000000000001','mine-C9999000000000000000001','rolling-example','测试石灰岩矿（虚构）','测试矿业有限公司（虚构）','泗溪镇','某副县长','石灰岩',12.5,0,0,1,'post_care','cancel','2033-07-15','post_care',0,'accepted','2030-07-15','2026-11-27 03:18:40.269238','2030-07-15 02:00:01.155020',29);
INSERT INTO "cases" VALUES('C9999000000000000000002','mine-C9999000000000000000002','rolling-example','测试石灰岩矿（虚构）','测试矿业有限公司（虚构）','泗溪镇','某副县长','石灰岩',12.5,0,0,1,'post_care','deemed_abandoned','2033-09-02','post_care',1,'accepted','2030-09-02','2026-11-27 03:18:42.927960','2030-09-01 16:01:01.034894',30);
INSERT INTO "cases" VALUES('C9999000000000000000003','mine-C9999000000000000000003','shanggao-2023','测试石灰岩矿（虚构）','测试矿业有限公司（虚构）','泗溪镇','某副县长','石灰岩',12.5,0,0,1,'production_resumed','continue',NULL,NULL,0,'accepted',NULL,'2026-11-27 03:18:49.637822','2030-09-01 02:00:01.959655',41);
INSERT INTO "cases" VALUES('C9999000000000000000004','mine-C9999000000000000000004','shanggao-2023','测试石灰岩矿（虚构）','测试矿业有限公司（虚构）','泗溪镇','某副县长','石灰岩',12.5,0,0,1,'closed','deemed_abandoned',NULL,NULL,0,'not_started',NULL,'2026-11-27 03:18:51.980132','2031-01-08 16:01:00.407763',16);
INSERT INTO "cases" VALUES('C9999000000000000000005','mine-C9999000000000000000005','shanggao-2023','测试石灰岩矿（虚构）','测试矿业有限公司（虚构）','泗溪镇','某副县长','石灰岩',12.5,0,0,1,'joint_review','continue',NULL,NULL,0,'accepted',NULL,'2026-11-27 03:19:00.912317','2030-11-29 16:01:00.973074',28);
INSERT INTO "cases" VALUES('C9999000000000000000006','mine-C9999000000000000000006','shanggao-2023','只登记的矿山（虚构）','测试矿业有限公司（虚构）','南港镇','某副县长','石灰岩',12.5,0,0,1,'registered','undecided',NULL,NULL,0,'not_started',NULL,'2026-11-27 03:19:07.527791','2026-11-27 03:19:07.527791',1);
CREATE TABLE deadlines (
	permit_no VARCHAR NOT NULL, 
	kind VARCHAR NOT NULL, 
	label_zh VARCHAR NOT NULL, 
	label_en VARCHAR NOT NULL, 
	clause VARCHAR NOT NULL, 
	responsible VARCHAR NOT NULL, 
	start DATE, 
	last_day DATE, 
	overdue_from DATETIME, 
	provisional BOOLEAN NOT NULL, 
	status VARCHAR NOT NULL, 
	moves JSON, 
	PRIMARY KEY (permit_no, kind)
);
INSERT INTO "deadlines" VALUES('C9999000000000000000001','restoration_plan','编制完生态修复方案','restoration plan done','四.2','holder',NULL,'2030-06-01','2030-06-01 16:00:00.000000',0,'met','[]');
INSERT INTO "deadlines" VALUES('C9999000000000000000001','restoration_works','采区、厂区、堆料区裸露区整治完成并通过验收','works on mining, plant and stockpile areas accepted','四.2','holder',NULL,'2030-09-01','2030-09-01 16:00:00.000000',0,'met','[]');
INSERT INTO "deadlines" VALUES('C9999000000000000000001','cancel_application','提交注销申请','apply to cancel','四.3','holder','2030-07-15','2030-08-14','2030-08-14 16:00:00.000000',0,'met','[]');
INSERT INTO "deadlines" VALUES('C9999000000000000000001','post_care','后期管护','post-care','六','township','2030-07-15','2033-07-15','2033-07-15 16:00:00.000000',1,'open','[]');
INSERT INTO "deadlines" VALUES('C9999000000000000000002','restoration_plan','编制完生态修复方案','restoration plan done','四.2','holder',NULL,'2030-06-01','2030-06-01 16:00:00.000000',0,'met','[]');
INSERT INTO "deadlines" VALUES('C9999000000000000000002','restoration_works','采区、厂区、堆料区裸露区整治完成并通过验收','works on mining, plant and stockpile areas accepted','四.2','holder',NULL,'2030-09-01','2030-09-01 16:00:00.000000',0,'missed','[]');
INSERT INTO "deadlines" VALUES('C9999000000000000000002','township_takeover','乡镇接手完成整治任务','township finishes the works','四.2','township',NULL,'2030-11-01','2030-11-01 16:00:00.000000',0,'met','[]');
INSERT INTO "deadlines" VALUES('C9999000000000000000002','post_care','后期管护','post-care','六','township','2030-09-02','2033-09-02','2033-09-02 16:00:00.000000',1,'open','[]');
INSERT INTO "deadlines" VALUES('C9999000000000000000003','rectification','完善审批手续并完成整治任务','approvals and rectification works','四.1','holder','2030-04-01','2030-10-08','2030-10-08 16:00:00.000000',0,'met','[]');
INSERT INTO "deadlines" VALUES('C9999000000000000000004','rectification','完善审批手续并完成整治任务','approvals and rectification works','四.1','holder','2030-04-01','2030-10-08','2030-10-08 16:00:00.000000',0,'missed','[]');
INSERT INTO "deadlines" VALUES('C9999000000000000000004','extension','整改期限','rectification period (extension)','四.1','holder','2030-10-08','2031-01-08','2031-01-08 16:00:00.000000',0,'missed','[]');
INSERT INTO "deadlines" VALUES('C9999000000000000000005','rectification','完善审批手续并完成整治任务','approvals and rectification works','四.1','holder',NULL,'2030-11-29','2030-11-29 16:00:00.000000',0,'missed','[{"at": "2030-06-10T01:00:00.029204Z", "decided_by": {"role": "office", "name": "\u9886\u5bfc\u5c0f\u7ec4\u529e\u516c\u5ba4", "department": null, "township": null}, "meeting": "\u53bf\u653f\u5e9c2030\u5e74\u7b2c12\u6b21\u5e38\u52a1\u4f1a\u8bae\u7eaa\u8981", "reason": "\u6c5b\u671f\u9053\u8def\u4e2d\u65ad\uff0c\u65e0\u6cd5\u65bd\u5de5", "old_last_day": "2030-10-08", "new_last_day": "2030-11-29"}]');
INSERT INTO "deadlines" VALUES('C9999000000000000000005','extension','整改期限','rectification period (extension)','四.1','holder','2030-11-29','2031-02-28','2031-02-28 16:00:00.000000',0,'met','[]');
CREATE TABLE documents (
	id VARCHAR NOT NULL, 
	permit_no VARCHAR NOT NULL, 
	kind VARCHAR NOT NULL, 
	title_zh VARCHAR NOT NULL, 
	clause VARCHAR NOT NULL, 
	issued_at DATETIME NOT NULL, 
	fields JSON, 
	html VARCHAR NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO "documents" VALUES('C9999000000000000000001-D01','C9999000000000000000001','closure_decision','关闭决定书','四.3','2030-04-01 02:00:00.119087','{"mine_name": "\u6d4b\u8bd5\u77f3\u7070\u5ca9\u77ff\uff08\u865a\u6784\uff09", "permit_no": "C9999000000000000000001", "holder": "\u6d4b\u8bd5\u77ff\u4e1a\u6709\u9650\u516c\u53f8\uff08\u865a\u6784\uff09", "township": "\u6cd7\u6eaa\u9547", "restoration_party": "\u6d4b\u8bd5\u77ff\u4e1a\u6709\u9650\u516c\u53f8\uff08\u865a\u6784\uff09", "restoration_deadline": "2030-09-01", "plan_deadline": "2030-06-01", "supervisor": "\u6cd7\u6eaa\u9547\u4eba\u6c11\u653f\u5e9c\uff08\u6797\u573a\uff09", "application_window_days": 30, "post_care_party": "\u6cd7\u6eaa\u9547\u4eba\u6c11\u653f\u5e9c\uff08\u6797\u573a\uff09", "post_care_years": 3, "never_produced": false, "document_no": "\u793a\u4f8b example", "issued_on": "2030-04-01"}','<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>关闭决定书 C9999000000000000000001</title>
<style>
  @page { size: A4; margin: 25mm 22mm; }
  body { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "SimSun", "WenQuanYi Micro Hei", serif; font-size: 15pt; line-height: 1.9; color: #000; }
  h1 { font-size: 21pt; text-align: center; letter-spacing: .15em; margin: 0 0 .2em; }
  .no { text-align: center; margin-bottom: 1.5em; }
  p { text-indent: 2em; margin: .3em 0; }
  table { border-collapse: collapse; width: 100%; margin: .8em 0; font-size: 13pt; }
  td, th { border: 1px solid #000; padding: .25em .5em; text-align: left; }
  .sign { text-align: right; margin-top: 2.5em; }
  .fictional { color: #a00; font-size: 10pt; text-align: center; }
</style>
</head>
<body>
<div class="fictional">示例数据，虚构 / sample data, fictional</div>

<h1>关闭决定书</h1>
<div class="no">（依据《上高县停产非煤矿山生态环境整治专项行动方案》示例 example 第四条第3项）</div>
<p>测试矿业有限公司（虚构）：</p>
<p>经县政府研究同意，你单位所属测试石灰岩矿（虚构）（采矿许可证号 C9999000000000000000001）按注销情形处置，予以关闭。按照“先修复后注销”的原则，现就有关事项决定如下：</p>
<table>
  <tr><th>生态修复责任主体</th><td>测试矿业有限公司（虚构）</td></tr>
  
  <tr><th>生态修复方案编制期限</th><td>2030-06-01 前</td></tr>
  <tr><th>修复期限（完成整治并通过验收）</th><td>2030-09-01 前</td></tr>
  
  <tr><th>修复监管主体</th><td>泗溪镇人民政府（林场）</td></tr>
  <tr><th>注销申请期限</th><td>完成矿山生态环境整治任务后 30 日内向相关部门提交注销申请</td></tr>
  <tr><th>后期管护责任主体</th><td>泗溪镇人民政府（林场）（管护期 3 年）</td></tr>
</table>
<p>逾期未完成矿山生态环境整治任务或者完成整治任务未按时申请注销的，将在县政府网站发布注销公告，视为采矿权人自动放弃矿权。矿山生态修复责任不因采矿权终止而免除。</p>

<div class="sign">上高县人民政府<br>2030-04-01</div>
</body>
</html>');
INSERT INTO "documents" VALUES('C9999000000000000000002-D01','C9999000000000000000002','closure_decision','关闭决定书','四.3','2030-04-01 02:00:00.049605','{"mine_name": "\u6d4b\u8bd5\u77f3\u7070\u5ca9\u77ff\uff08\u865a\u6784\uff09", "permit_no": "C9999000000000000000002", "holder": "\u6d4b\u8bd5\u77ff\u4e1a\u6709\u9650\u516c\u53f8\uff08\u865a\u6784\uff09", "township": "\u6cd7\u6eaa\u9547", "restoration_party": "\u6d4b\u8bd5\u77ff\u4e1a\u6709\u9650\u516c\u53f8\uff08\u865a\u6784\uff09", "restoration_deadline": "2030-09-01", "plan_deadline": "2030-06-01", "supervisor": "\u6cd7\u6eaa\u9547\u4eba\u6c11\u653f\u5e9c\uff08\u6797\u573a\uff09", "application_window_days": 30, "post_care_party": "\u6cd7\u6eaa\u9547\u4eba\u6c11\u653f\u5e9c\uff08\u6797\u573a\uff09", "post_care_years": 3, "never_produced": false, "document_no": "\u793a\u4f8b example", "issued_on": "2030-04-01"}','<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>关闭决定书 C9999000000000000000002</title>
<style>
  @page { size: A4; margin: 25mm 22mm; }
  body { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "SimSun", "WenQuanYi Micro Hei", serif; font-size: 15pt; line-height: 1.9; color: #000; }
  h1 { font-size: 21pt; text-align: center; letter-spacing: .15em; margin: 0 0 .2em; }
  .no { text-align: center; margin-bottom: 1.5em; }
  p { text-indent: 2em; margin: .3em 0; }
  table { border-collapse: collapse; width: 100%; margin: .8em 0; font-size: 13pt; }
  td, th { border: 1px solid #000; padding: .25em .5em; text-align: left; }
  .sign { text-align: right; margin-top: 2.5em; }
  .fictional { color: #a00; font-size: 10pt; text-align: center; }
</style>
</head>
<body>
<div class="fictional">示例数据，虚构 / sample data, fictional</div>

<h1>关闭决定书</h1>
<div class="no">（依据《上高县停产非煤矿山生态环境整治专项行动方案》示例 example 第四条第3项）</div>
<p>测试矿业有限公司（虚构）：</p>
<p>经县政府研究同意，你单位所属测试石灰岩矿（虚构）（采矿许可证号 C9999000000000000000002）按注销情形处置，予以关闭。按照“先修复后注销”的原则，现就有关事项决定如下：</p>
<table>
  <tr><th>生态修复责任主体</th><td>测试矿业有限公司（虚构）</td></tr>
  
  <tr><th>生态修复方案编制期限</th><td>2030-06-01 前</td></tr>
  <tr><th>修复期限（完成整治并通过验收）</th><td>2030-09-01 前</td></tr>
  
  <tr><th>修复监管主体</th><td>泗溪镇人民政府（林场）</td></tr>
  <tr><th>注销申请期限</th><td>完成矿山生态环境整治任务后 30 日内向相关部门提交注销申请</td></tr>
  <tr><th>后期管护责任主体</th><td>泗溪镇人民政府（林场）（管护期 3 年）</td></tr>
</table>
<p>逾期未完成矿山生态环境整治任务或者完成整治任务未按时申请注销的，将在县政府网站发布注销公告，视为采矿权人自动放弃矿权。矿山生态修复责任不因采矿权终止而免除。</p>

<div class="sign">上高县人民政府<br>2030-04-01</div>
</body>
</html>');
INSERT INTO "documents" VALUES('C9999000000000000000002-D02','C9999000000000000000002','referral','线索移送函（生态公益诉讼）','五.2','2030-09-01 16:00:00.000000','{"mine_name": "\u6d4b\u8bd5\u77f3\u7070\u5ca9\u77ff\uff08\u865a\u6784\uff09", "permit_no": "C9999000000000000000002", "holder": "\u6d4b\u8bd5\u77ff\u4e1a\u6709\u9650\u516c\u53f8\uff08\u865a\u6784\uff09", "township": "\u6cd7\u6eaa\u9547", "referred_to": "\u53bf\u4eba\u6c11\u68c0\u5bdf\u9662\u3001\u53bf\u4eba\u6c11\u6cd5\u9662", "duty": "\u91c7\u533a\u3001\u5382\u533a\u3001\u5806\u6599\u533a\u88f8\u9732\u533a\u6574\u6cbb\u5b8c\u6210\u5e76\u901a\u8fc7\u9a8c\u6536", "due": "2030-09-01", "bare_area_mu": 12.5, "issued_on": "2030-09-02"}','<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>线索移送函（生态公益诉讼） C9999000000000000000002</title>
<style>
  @page { size: A4; margin: 25mm 22mm; }
  body { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "SimSun", "WenQuanYi Micro Hei", serif; font-size: 15pt; line-height: 1.9; color: #000; }
  h1 { font-size: 21pt; text-align: center; letter-spacing: .15em; margin: 0 0 .2em; }
  .no { text-align: center; margin-bottom: 1.5em; }
  p { text-indent: 2em; margin: .3em 0; }
  table { border-collapse: collapse; width: 100%; margin: .8em 0; font-size: 13pt; }
  td, th { border: 1px solid #000; padding: .25em .5em; text-align: left; }
  .sign { text-align: right; margin-top: 2.5em; }
  .fictional { color: #a00; font-size: 10pt; text-align: center; }
</style>
</head>
<body>
<div class="fictional">示例数据，虚构 / sample data, fictional</div>

<h1>线索移送函</h1>
<div class="no">（依据《上高县停产非煤矿山生态环境整治专项行动方案》第五条第2项）</div>
<p>县人民检察院、县人民法院：</p>
<p>测试石灰岩矿（虚构）（采矿许可证号 C9999000000000000000002，采矿权人 测试矿业有限公司（虚构））未按要求完成矿山环境整治任务（采区、厂区、堆料区裸露区整治完成并通过验收，期限 2030-09-01），属未履行生态修复等法定义务情形。现由泗溪镇牵头，将有关线索移送，请依法运用生态环境损害赔偿、生态破坏公益诉讼等手段追究相应责任。</p>
<table><tr><th>裸露区面积</th><td>12.5 亩</td></tr></table>

<div class="sign">上高县人民政府<br>2030-09-02</div>
</body>
</html>');
INSERT INTO "documents" VALUES('C9999000000000000000002-D03','C9999000000000000000002','cancellation_notice','注销公告','四.3','2030-09-01 16:00:00.000000','{"mine_name": "\u6d4b\u8bd5\u77f3\u7070\u5ca9\u77ff\uff08\u865a\u6784\uff09", "permit_no": "C9999000000000000000002", "holder": "\u6d4b\u8bd5\u77ff\u4e1a\u6709\u9650\u516c\u53f8\uff08\u865a\u6784\uff09", "township": "\u6cd7\u6eaa\u9547", "reason": "\u903e\u671f\u672a\u5b8c\u6210\u77ff\u5c71\u751f\u6001\u73af\u5883\u6574\u6cbb\u4efb\u52a1", "published_on": "\u53bf\u653f\u5e9c\u7f51\u7ad9", "issued_on": "2030-09-02"}','<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>注销公告 C9999000000000000000002</title>
<style>
  @page { size: A4; margin: 25mm 22mm; }
  body { font-family: "Noto Serif CJK SC", "Source Han Serif SC", "SimSun", "WenQuanYi Micro Hei", serif; font-size: 15pt; line-height: 1.9; color: #000; }
  h1 { font-size: 21pt; text-align: center; letter-spacing: .15em; margin: 0 0 .2em; }
  .no { text-align: center; margin-bottom: 1.5em; }
  p { text-indent: 2em; margin: .3em 0; }
  table { border-collapse: collapse; width: 100%; margin: .8em 0; font-size: 13pt; }
  td, th { border: 1px solid #000; padding: .25em .5em; text-align: left; }
  .sign { text-align: right; margin-top: 2.5em; }
  .fictional { color: #a00; font-size: 10pt; text-align: center; }
</style>
</head>
<body>
<div class="fictional">示例数据，虚构 / sample data, fictional</div>

<h1>注销公告</h1>
<div class="no">（依据《上高县停产非煤矿山生态环境整治专项行动方案》第四条第3项）</div>
<p>测试石灰岩矿（虚构）（采矿许可证号 C9999000000000000000002，采矿权人 测试矿业有限公司（虚构））逾期未完成矿山生态环境整治任务。</p>
<p>现予公告：自本公告发布之日起，视为采矿权人自动放弃矿权，由泗溪镇作出注销矿权申请后，直接注销采矿许可证等证照。采矿权人的生态修复责任及修复经费不因采矿权终止而免除。</p>
<p>特此公告。</p>

<div class="sign">上高县人民政府<br>2030-09-02</div>
</body>
</html>');
CREATE TABLE holiday_year (
	year INTEGER NOT NULL, 
	holidays JSON NOT NULL, 
	workdays JSON NOT NULL, 
	source VARCHAR NOT NULL, 
	loaded_at DATETIME NOT NULL, 
	PRIMARY KEY (year)
);
INSERT INTO "holiday_year" VALUES(2030,'{"2030-01-01": "\u5143\u65e6 New Year''s Day", "2030-02-02": "\u6625\u8282 Spring Festival", "2030-02-03": "\u6625\u8282 Spring Festival", "2030-02-04": "\u6625\u8282 Spring Festival", "2030-02-05": "\u6625\u8282 Spring Festival", "2030-02-06": "\u6625\u8282 Spring Festival", "2030-02-07": "\u6625\u8282 Spring Festival", "2030-02-08": "\u6625\u8282 Spring Festival", "2030-02-09": "\u6625\u8282 Spring Festival", "2030-04-05": "\u6e05\u660e\u8282 Tomb-sweeping Day", "2030-04-06": "\u6e05\u660e\u8282 Tomb-sweeping Day", "2030-04-07": "\u6e05\u660e\u8282 Tomb-sweeping Day", "2030-05-01": "\u52b3\u52a8\u8282 Labour Day", "2030-05-02": "\u52b3\u52a8\u8282 Labour Day", "2030-05-03": "\u52b3\u52a8\u8282 Labour Day", "2030-05-04": "\u52b3\u52a8\u8282 Labour Day", "2030-05-05": "\u52b3\u52a8\u8282 Labour Day", "2030-06-05": "\u7aef\u5348\u8282 Dragon Boat Festival", "2030-09-12": "\u4e2d\u79cb\u8282 Mid-autumn Festival", "2030-10-01": "\u56fd\u5e86\u8282 National Day", "2030-10-02": "\u56fd\u5e86\u8282 National Day", "2030-10-03": "\u56fd\u5e86\u8282 National Day", "2030-10-04": "\u56fd\u5e86\u8282 National Day", "2030-10-05": "\u56fd\u5e86\u8282 National Day", "2030-10-06": "\u56fd\u5e86\u8282 National Day", "2030-10-07": "\u56fd\u5e86\u8282 National Day"}','["2030-01-26", "2030-02-10", "2030-04-28", "2030-05-11", "2030-09-29", "2030-10-12"]','测试用虚构安排，非国务院正式安排 / FICTIONAL schedule for tests, not the State Council''s','2026-11-27 03:18:38.220952');
INSERT INTO "holiday_year" VALUES(2031,'{"2031-01-01": "\u5143\u65e6 New Year''s Day", "2031-01-22": "\u6625\u8282 Spring Festival", "2031-01-23": "\u6625\u8282 Spring Festival", "2031-01-24": "\u6625\u8282 Spring Festival", "2031-01-25": "\u6625\u8282 Spring Festival", "2031-01-26": "\u6625\u8282 Spring Festival", "2031-01-27": "\u6625\u8282 Spring Festival", "2031-01-28": "\u6625\u8282 Spring Festival", "2031-10-01": "\u56fd\u5e86\u8282 National Day", "2031-10-02": "\u56fd\u5e86\u8282 National Day", "2031-10-03": "\u56fd\u5e86\u8282 National Day", "2031-10-04": "\u56fd\u5e86\u8282 National Day", "2031-10-05": "\u56fd\u5e86\u8282 National Day", "2031-10-06": "\u56fd\u5e86\u8282 National Day", "2031-10-07": "\u56fd\u5e86\u8282 National Day"}','["2031-01-19", "2031-02-08"]','测试用虚构安排，非国务院正式安排 / FICTIONAL schedule for tests, not the State Council''s','2026-11-27 03:18:38.226786');
CREATE TABLE notices (
	id VARCHAR NOT NULL, 
	permit_no VARCHAR NOT NULL, 
	at DATETIME NOT NULL, 
	kind VARCHAR NOT NULL, 
	recipients JSON, 
	text_zh VARCHAR NOT NULL, 
	text_en VARCHAR NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO "notices" VALUES('C9999000000000000000001-N001','C9999000000000000000001','2026-11-27 03:18:40.269238','decision_requested','["county", "office"]','测试石灰岩矿（虚构）处置意见待县政府研究','disposition awaits the county');
INSERT INTO "notices" VALUES('C9999000000000000000001-N002','C9999000000000000000001','2030-04-01 02:00:00.119087','task_opened','["department:power_supply"]','测试石灰岩矿（虚构）：停止供电、拆除供电设施','stop power and remove the supply');
INSERT INTO "notices" VALUES('C9999000000000000000001-N003','C9999000000000000000001','2030-04-01 02:00:00.119087','task_opened','["department:public_security"]','测试石灰岩矿（虚构）：停止供应民爆物品','stop explosives supply');
INSERT INTO "notices" VALUES('C9999000000000000000001-N004','C9999000000000000000001','2030-04-01 02:00:00.119087','closure_ordered','["holder", "township", "leader", "office"]','测试石灰岩矿（虚构）：县政府已下达关闭决定','closure decision issued');
INSERT INTO "notices" VALUES('C9999000000000000000001-N005','C9999000000000000000001','2030-04-01 02:00:00.237281','task_opened','["expert"]','测试石灰岩矿（虚构）：评审生态修复方案（省级专家库专家）','review the restoration plan (provincial expert pool)');
INSERT INTO "notices" VALUES('C9999000000000000000001-N006','C9999000000000000000001','2030-04-29 16:00:00.000000','review_overdue','["office", "department:power_supply"]','测试石灰岩矿（虚构）：停止供电、拆除供电设施已逾期','stop power and remove the supply is overdue');
INSERT INTO "notices" VALUES('C9999000000000000000001-N007','C9999000000000000000001','2030-04-29 16:00:00.000000','review_overdue','["office", "department:public_security"]','测试石灰岩矿（虚构）：停止供应民爆物品已逾期','stop explosives supply is overdue');
INSERT INTO "notices" VALUES('C9999000000000000000001-N008','C9999000000000000000001','2030-07-15 02:00:00.029575','task_opened','["township:\u6cd7\u6eaa\u9547"]','测试石灰岩矿（虚构）：整治任务初验','initial inspection of the works');
INSERT INTO "notices" VALUES('C9999000000000000000001-N009','C9999000000000000000001','2030-07-15 02:00:00.128208','task_opened','["department:natural_resources"]','测试石灰岩矿（虚构）：实地验收（县政府办牵头）','field acceptance (led by the government office)');
INSERT INTO "notices" VALUES('C9999000000000000000001-N010','C9999000000000000000001','2030-07-15 02:00:00.128208','task_opened','["department:ecology_environment"]','测试石灰岩矿（虚构）：实地验收（县政府办牵头）','field acceptance (led by the government office)');
INSERT INTO "notices" VALUES('C9999000000000000000001-N011','C9999000000000000000001','2030-07-15 02:00:00.128208','task_opened','["department:emergency"]','测试石灰岩矿（虚构）：实地验收（县政府办牵头）','field acceptance (led by the government office)');
INSERT INTO "notices" VALUES('C9999000000000000000001-N012','C9999000000000000000001','2030-07-15 02:00:00.128208','task_opened','["department:water"]','测试石灰岩矿（虚构）：实地验收（县政府办牵头）','field acceptance (led by the government office)');
INSERT INTO "notices" VALUES('C9999000000000000000001-N013','C9999000000000000000001','2030-07-15 02:00:00.128208','task_opened','["department:forestry"]','测试石灰岩矿（虚构）：实地验收（县政府办牵头）','field acceptance (led by the government office)');
INSERT INTO "notices" VALUES('C9999000000000000000001-N014','C9999000000000000000001','2030-07-15 02:00:00.128208','task_opened','["department:agriculture"]','测试石灰岩矿（虚构）：实地验收（县政府办牵头）','field acceptance (led by the government office)');
INSERT INTO "notices" VALUES('C9999000000000000000001-N015','C9999000000000000000001','2030-07-15 02:00:00.490010','task_opened','["expert"]','测试石灰岩矿（虚构）：出具验收合格意见书（水工环、环境保护、林业专家）','acceptance certificate by the expert panel');
INSERT INTO "notices" VALUES('C9999000000000000000001-N016','C9999000000000000000001','2030-07-15 01:00:00.000000','reminder_30d','["holder", "township", "leader"]','测试石灰岩矿（虚构）：提交注销申请将于2030-08-14届满（还有30天）','apply to cancel ends on 2030-08-14 (30 days left)');
INSERT INTO "notices" VALUES('C9999000000000000000001-N017','C9999000000000000000001','2030-07-15 02:00:00.735701','task_opened','["department:natural_resources"]','测试石灰岩矿（虚构）：注销采矿许可证等证照','cancel the permits and licences');
INSERT INTO "notices" VALUES('C9999000000000000000001-N018','C9999000000000000000001','2030-07-15 02:00:00.735701','task_opened','["department:market_supervision"]','测试石灰岩矿（虚构）：注销采矿许可证等证照','cancel the permits and licences');
INSERT INTO "notices" VALUES('C9999000000000000000001-N019','C9999000000000000000001','2030-07-15 02:00:00.735701','task_opened','["department:ecology_environment"]','测试石灰岩矿（虚构）：注销采矿许可证等证照','cancel the permits and licences');
INSERT INTO "notices" VALUES('C9999000000000000000001-N020','C9999000000000000000001','2030-07-15 02:00:00.735701','task_opened','["department:forestry"]','测试石灰岩矿（虚构）：注销采矿许可证等证照','cancel the permits and licences');
INSERT INTO "notices" VALUES('C9999000000000000000001-N021','C9999000000000000000001','2030-07-15 02:00:00.735701','task_opened','["department:water"]','测试石灰岩矿（虚构）：注销采矿许可证等证照','cancel the permits and licences');
INSERT INTO "notices" VALUES('C9999000000000000000001-N022','C9999000000000000000001','2030-07-15 02:00:00.735701','task_opened','["department:emergency"]','测试石灰岩矿（虚构）：注销采矿许可证等证照','cancel the permits and licences');
INSERT INTO "notices" VALUES('C9999000000000000000002-N001','C9999000000000000000002','2026-11-27 03:18:42.991493','decision_requested','["county", "office"]','测试石灰岩矿（虚构）处置意见待县政府研究','disposition awaits the county');
INSERT INTO "notices" VALUES('C9999000000000000000002-N002','C9999000000000000000002','2030-04-01 02:00:00.049605','task_opened','["department:power_supply"]','测试石灰岩矿（虚构）：停止供电、拆除供电设施','stop power and remove the supply');
INSERT INTO "notices" VALUES('C9999000000000000000002-N003','C9999000000000000000002','2030-04-01 02:00:00.049605','task_opened','["department:public_security"]','测试石灰岩矿（虚构）：停止供应民爆物品','stop explosives supply');
INSERT INTO "notices" VALUES('C9999000000000000000002-N004','C9999000000000000000002','2030-04-01 02:00:00.049605','closure_ordered','["holder", "township", "leader", "office"]','测试石灰岩矿（虚构）：县政府已下达关闭决定','closure decision issued');
INSERT INTO "notices" VALUES('C9999000000000000000002-N005','C9999000000000000000002','2030-04-01 02:00:00.122361','task_opened','["expert"]','测试石灰岩矿（虚构）：评审生态修复方案（省级专家库专家）','review the restoration plan (provincial expert pool)');
INSERT INTO "notices" VALUES('C9999000000000000000002-N006','C9999000000000000000002','2030-04-29 16:00:00.000000','review_overdue','["office", "department:power_supply"]','测试石灰岩矿（虚构）：停止供电、拆除供电设施已逾期','stop power and remove the supply is overdue');
INSERT INTO "notices" VALUES('C9999000000000000000002-N007','C9999000000000000000002','2030-04-29 16:00:00.000000','review_overdue','["office", "department:public_security"]','测试石灰岩矿（虚构）：停止供应民爆物品已逾期','stop explosives supply is overdue');
INSERT INTO "notices" VALUES('C9999000000000000000002-N008','C9999000000000000000002','2030-08-02 01:00:00.000000','reminder_30d','["holder", "township", "leader"]','测试石灰岩矿（虚构）：采区、厂区、堆料区裸露区整治完成并通过验收将于2030-09-01届满（还有30天）','works on mining, plant and stockpile areas accepted ends on 2030-09-01 (30 days left)');
INSERT INTO "notices" VALUES('C9999000000000000000002-N009','C9999000000000000000002','2030-08-25 01:00:00.000000','reminder_7d','["holder", "township", "leader"]','测试石灰岩矿（虚构）：采区、厂区、堆料区裸露区整治完成并通过验收将于2030-09-01届满（还有7天）','works on mining, plant and stockpile areas accepted ends on 2030-09-01 (7 days left)');
INSERT INTO "notices" VALUES('C9999000000000000000002-N010','C9999000000000000000002','2030-08-31 01:00:00.000000','reminder_1d','["holder", "township", "leader"]','测试石灰岩矿（虚构）：采区、厂区、堆料区裸露区整治完成并通过验收将于2030-09-01届满（还有1天）','works on mining, plant and stockpile areas accepted ends on 2030-09-01 (1 days left)');
INSERT INTO "notices" VALUES('C9999000000000000000002-N011','C9999000000000000000002','2030-09-01 16:00:00.000000','referral','["township", "office", "procuratorate"]','测试石灰岩矿（虚构）：未履行生态修复法定义务，线索移送','referral for public-interest litigation');
INSERT INTO "notices" VALUES('C9999000000000000000002-N012','C9999000000000000000002','2030-09-01 16:00:00.000000','deemed_abandoned','["holder", "township", "leader", "office"]','测试石灰岩矿（虚构）视为自动放弃矿权，请泗溪镇作出注销矿权申请','deemed to have abandoned the right; the township is to apply for cancellation');
INSERT INTO "notices" VALUES('C9999000000000000000002-N013','C9999000000000000000002','2030-09-01 16:01:00.043204','task_opened','["department:natural_resources"]','测试石灰岩矿（虚构）：注销采矿许可证等证照','cancel the permits and licences');
INSERT INTO "notices" VALUES('C9999000000000000000002-N014','C9999000000000000000002','2030-09-01 16:01:00.043204','task_opened','["department:market_supervision"]','测试石灰岩矿（虚构）：注销采矿许可证等证照','cancel the permits and licences');
INSERT INTO "notices" VALUES('C9999000000000000000002-N015','C9999000000000000000002','2030-09-01 16:01:00.043204','task_opened','["department:ecology_environment"]','测试石灰岩矿（虚构）：注销采矿许可证等证照','cancel the permits and licences');
INSERT INTO "notices" VALUES('C9999000000000000000002-N016','C9999000000000000000002','2030-09-01 16:01:00.043204','task_opened','["department:forestry"]','测试石灰岩矿（虚构）：注销采矿许可证等证照','cancel the permits and licences');
INSERT INTO "notices" VALUES('C9999000000000000000002-N017','C9999000000000000000002','2030-09-01 16:01:00.043204','task_opened','["department:water"]','测试石灰岩矿（虚构）：注销采矿许可证等证照','cancel the permits and licences');
INSERT INTO "notices" VALUES('C9999000000000000000002-N018','C9999000000000000000002','2030-09-01 16:01:00.043204','task_opened','["department:emergency"]','测试石灰岩矿（虚构）：注销采矿许可证等证照','cancel the permits and licences');
INSERT INTO "notices" VALUES('C9999000000000000000002-N019','C9999000000000000000002','2030-09-01 16:01:00.486015','task_opened','["department:natural_resources"]','测试石灰岩矿（虚构）：实地验收（县政府办牵头）','field acceptance (led by the government office)');
INSERT INTO "notices" VALUES('C9999000000000000000002-N020','C9999000000000000000002','2030-09-01 16:01:00.486015','task_opened','["department:ecology_environment"]','测试石灰岩矿（虚构）：实地验收（县政府办牵头）','field acceptance (led by the government office)');
INSERT INTO "notices" VALUES('C9999000000000000000002-N021','C9999000000000000000002','2030-09-01 16:01:00.486015','task_opened','["department:emergency"]','测试石灰岩矿（虚构）：实地验收（县政府办牵头）','field acceptance (led by the government office)');
INSERT INTO "notices" VALUES('C9999000000000000000002-N022','C9999000000000000000002','2030-09-01 16:01:00.486015','task_opened','["department:water"]','测试石灰岩矿（虚构）：实地验收（县政府办牵头）','field acceptance (led by the government office)');
INSERT INTO "notices" VALUES('C9999000000000000000002-N023','C9999000000000000000002','2030-09-01 16:01:00.486015','task_opened','["department:forestry"]','测试石灰岩矿（虚构）：实地验收（县政府办牵头）','field acceptance (led by the government office)');
INSERT INTO "notices" VALUES('C9999000000000000000002-N024','C9999000000000000000002','2030-09-01 16:01:00.486015','task_opened','["department:agriculture"]','测试石灰岩矿（虚构）：实地验收（县政府办牵头）','field acceptance (led by the government office)');
INSERT INTO "notices" VALUES('C9999000000000000000002-N025','C9999000000000000000002','2030-09-01 16:01:00.856717','task_opened','["expert"]','测试石灰岩矿（虚构）：出具验收合格意见书（水工环、环境保护、林业专家）','acceptance certificate by the expert panel');
INSERT INTO "notices" VALUES('C9999000000000000000003-N001','C9999000000000000000003','2026-11-27 03:18:49.730778','decision_requested','["county", "office"]','测试石灰岩矿（虚构）处置意见待县政府研究','disposition awaits the county');
INSERT INTO "notices" VALUES('C9999000000000000000003-N002','C9999000000000000000003','2030-09-01 02:00:00.040510','task_opened','["department:natural_resources"]','测试石灰岩矿（虚构）：审批《开发利用方案》','review the development and utilisation plan');
INSERT INTO "notices" VALUES('C9999000000000000000003-N003','C9999000000000000000003','2030-09-01 02:00:00.114499','task_opened','["department:natural_resources"]','测试石灰岩矿（虚构）：审批《二合一方案》','review the geological-environment protection and land reclamation plan');
INSERT INTO "notices" VALUES('C9999000000000000000003-N004','C9999000000000000000003','2030-09-01 02:00:00.191257','task_opened','["department:ecology_environment"]','测试石灰岩矿（虚构）：审批《环评报告》','review the environmental impact report');
INSERT INTO "notices" VALUES('C9999000000000000000003-N005','C9999000000000000000003','2030-09-01 02:00:00.257608','task_opened','["department:water"]','测试石灰岩矿（虚构）：审批《水土保持方案》','review the soil and water conservation plan');
INSERT INTO "notices" VALUES('C9999000000000000000003-N006','C9999000000000000000003','2030-09-01 02:00:00.326952','task_opened','["department:industry_it"]','测试石灰岩矿（虚构）：审批《生产工艺及设备合规认定》','review the process and equipment compliance');
INSERT INTO "notices" VALUES('C9999000000000000000003-N007','C9999000000000000000003','2030-09-01 02:00:00.649011','task_opened','["township:\u6cd7\u6eaa\u9547"]','测试石灰岩矿（虚构）：整治任务初验','initial inspection of the works');
INSERT INTO "notices" VALUES('C9999000000000000000003-N008','C9999000000000000000003','2030-09-01 02:00:00.761711','task_opened','["department:natural_resources"]','测试石灰岩矿（虚构）：实地验收（县政府办牵头）','field acceptance (led by the government office)');
INSERT INTO "notices" VALUES('C9999000000000000000003-N009','C9999000000000000000003','2030-09-01 02:00:00.761711','task_opened','["department:ecology_environment"]','测试石灰岩矿（虚构）：实地验收（县政府办牵头）','field acceptance (led by the government office)');
INSERT INTO "notices" VALUES('C9999000000000000000003-N010','C9999000000000000000003','2030-09-01 02:00:00.761711','task_opened','["department:emergency"]','测试石灰岩矿（虚构）：实地验收（县政府办牵头）','field acceptance (led by the government office)');
INSERT INTO "notices" VALUES('C9999000000000000000003-N011','C9999000000000000000003','2030-09-01 02:00:00.761711','task_opened','["department:water"]','测试石灰岩矿（虚构）：实地验收（县政府办牵头）','field acceptance (led by the government office)');
INSERT INTO "notices" VALUES('C9999000000000000000003-N012','C9999000000000000000003','2030-09-01 02:00:00.761711','task_opened','["department:forestry"]','测试石灰岩矿（虚构）：实地验收（县政府办牵头）','field acceptance (led by the government office)');
INSERT INTO "notices" VALUES('C9999000000000000000003-N013','C9999000000000000000003','2030-09-01 02:00:00.761711','task_opened','["department:agriculture"]','测试石灰岩矿（虚构）：实地验收（县政府办牵头）','field acceptance (led by the government office)');
INSERT INTO "notices" VALUES('C9999000000000000000003-N014','C9999000000000000000003','2030-09-01 02:00:01.135707','task_opened','["department:natural_resources"]','测试石灰岩矿（虚构）：联审联批','joint review');
INSERT INTO "notices" VALUES('C9999000000000000000003-N015','C9999000000000000000003','2030-09-01 02:00:01.135707','task_opened','["department:ecology_environment"]','测试石灰岩矿（虚构）：联审联批','joint review');
INSERT INTO "notices" VALUES('C9999000000000000000003-N016','C9999000000000000000003','2030-09-01 02:00:01.135707','task_opened','["department:water"]','测试石灰岩矿（虚构）：联审联批','joint review');
INSERT INTO "notices" VALUES('C9999000000000000000003-N017','C9999000000000000000003','2030-09-01 02:00:01.135707','task_opened','["department:forestry"]','测试石灰岩矿（虚构）：联审联批','joint review');
INSERT INTO "notices" VALUES('C9999000000000000000003-N018','C9999000000000000000003','2030-09-01 02:00:01.135707','task_opened','["department:emergency"]','测试石灰岩矿（虚构）：联审联批','joint review');
INSERT INTO "notices" VALUES('C9999000000000000000003-N019','C9999000000000000000003','2030-09-01 02:00:01.135707','task_opened','["department:industry_it"]','测试石灰岩矿（虚构）：联审联批','joint review');
INSERT INTO "notices" VALUES('C9999000000000000000003-N020','C9999000000000000000003','2030-09-01 02:00:01.522058','task_opened','["department:natural_resources"]','测试石灰岩矿（虚构）：办理采矿许可证延续手续','renew the mining permit');
INSERT INTO "notices" VALUES('C9999000000000000000003-N021','C9999000000000000000003','2030-09-01 02:00:01.653609','task_opened','["department:natural_resources"]','测试石灰岩矿（虚构）：恢复生产联审','resume-production review');
INSERT INTO "notices" VALUES('C9999000000000000000003-N022','C9999000000000000000003','2030-09-01 02:00:01.653609','task_opened','["department:ecology_environment"]','测试石灰岩矿（虚构）：恢复生产联审','resume-production review');
INSERT INTO "notices" VALUES('C9999000000000000000003-N023','C9999000000000000000003','2030-09-01 02:00:01.653609','task_opened','["department:emergency"]','测试石灰岩矿（虚构）：恢复生产联审','resume-production review');
INSERT INTO "notices" VALUES('C9999000000000000000003-N024','C9999000000000000000003','2030-09-01 02:00:01.653609','task_opened','["department:industry_it"]','测试石灰岩矿（虚构）：恢复生产联审','resume-production review');
INSERT INTO "notices" VALUES('C9999000000000000000003-N025','C9999000000000000000003','2030-09-01 02:00:01.653609','task_opened','["department:power_supply"]','测试石灰岩矿（虚构）：恢复供电','restore power');
INSERT INTO "notices" VALUES('C9999000000000000000003-N026','C9999000000000000000003','2030-09-01 02:00:01.653609','task_opened','["department:public_security"]','测试石灰岩矿（虚构）：恢复民爆物品供应','restore explosives supply');
INSERT INTO "notices" VALUES('C9999000000000000000004-N001','C9999000000000000000004','2026-11-27 03:18:52.015881','decision_requested','["county", "office"]','测试石灰岩矿（虚构）处置意见待县政府研究','disposition awaits the county');
INSERT INTO "notices" VALUES('C9999000000000000000004-N002','C9999000000000000000004','2030-09-08 01:00:00.000000','reminder_30d','["holder", "township", "leader"]','测试石灰岩矿（虚构）：完善审批手续并完成整治任务将于2030-10-08届满（还有30天）','approvals and rectification works ends on 2030-10-08 (30 days left)');
INSERT INTO "notices" VALUES('C9999000000000000000004-N003','C9999000000000000000004','2030-10-01 01:00:00.000000','reminder_7d','["holder", "township", "leader"]','测试石灰岩矿（虚构）：完善审批手续并完成整治任务将于2030-10-08届满（还有7天）','approvals and rectification works ends on 2030-10-08 (7 days left)');
INSERT INTO "notices" VALUES('C9999000000000000000004-N004','C9999000000000000000004','2030-10-07 01:00:00.000000','reminder_1d','["holder", "township", "leader"]','测试石灰岩矿（虚构）：完善审批手续并完成整治任务将于2030-10-08届满（还有1天）','approvals and rectification works ends on 2030-10-08 (1 days left)');
INSERT INTO "notices" VALUES('C9999000000000000000004-N005','C9999000000000000000004','2030-10-08 16:00:00.000000','period_expired','["holder", "township", "leader", "office"]','测试石灰岩矿（虚构）逾期未完成整改，已给予3个月整改期限','first period expired; extension given');
INSERT INTO "notices" VALUES('C9999000000000000000004-N006','C9999000000000000000004','2030-12-09 01:00:00.000000','reminder_30d','["holder", "township", "leader"]','测试石灰岩矿（虚构）：整改期限将于2031-01-08届满（还有30天）','rectification period (extension) ends on 2031-01-08 (30 days left)');
INSERT INTO "notices" VALUES('C9999000000000000000004-N007','C9999000000000000000004','2031-01-01 01:00:00.000000','reminder_7d','["holder", "township", "leader"]','测试石灰岩矿（虚构）：整改期限将于2031-01-08届满（还有7天）','rectification period (extension) ends on 2031-01-08 (7 days left)');
INSERT INTO "notices" VALUES('C9999000000000000000004-N008','C9999000000000000000004','2031-01-07 01:00:00.000000','reminder_1d','["holder", "township", "leader"]','测试石灰岩矿（虚构）：整改期限将于2031-01-08届满（还有1天）','rectification period (extension) ends on 2031-01-08 (1 days left)');
INSERT INTO "notices" VALUES('C9999000000000000000004-N009','C9999000000000000000004','2031-01-08 16:00:00.000000','task_opened','["department:power_supply"]','测试石灰岩矿（虚构）：停止供电、拆除供电设施','stop power and remove the supply');
INSERT INTO "notices" VALUES('C9999000000000000000004-N010','C9999000000000000000004','2031-01-08 16:00:00.000000','task_opened','["department:public_security"]','测试石灰岩矿（虚构）：停止供应民爆物品','stop explosives supply');
INSERT INTO "notices" VALUES('C9999000000000000000004-N011','C9999000000000000000004','2031-01-08 16:00:00.000000','deemed_abandoned','["holder", "township", "leader", "office"]','测试石灰岩矿（虚构）视为自动放弃矿权，请泗溪镇作出注销矿权申请','deemed to have abandoned the right; the township is to apply for cancellation');
INSERT INTO "notices" VALUES('C9999000000000000000004-N012','C9999000000000000000004','2031-01-08 16:01:00.098745','task_opened','["department:natural_resources"]','测试石灰岩矿（虚构）：注销采矿许可证等证照','cancel the permits and licences');
INSERT INTO "notices" VALUES('C9999000000000000000004-N013','C9999000000000000000004','2031-01-08 16:01:00.098745','task_opened','["department:market_supervision"]','测试石灰岩矿（虚构）：注销采矿许可证等证照','cancel the permits and licences');
INSERT INTO "notices" VALUES('C9999000000000000000004-N014','C9999000000000000000004','2031-01-08 16:01:00.098745','task_opened','["department:ecology_environment"]','测试石灰岩矿（虚构）：注销采矿许可证等证照','cancel the permits and licences');
INSERT INTO "notices" VALUES('C9999000000000000000004-N015','C9999000000000000000004','2031-01-08 16:01:00.098745','task_opened','["department:forestry"]','测试石灰岩矿（虚构）：注销采矿许可证等证照','cancel the permits and licences');
INSERT INTO "notices" VALUES('C9999000000000000000004-N016','C9999000000000000000004','2031-01-08 16:01:00.098745','task_opened','["department:water"]','测试石灰岩矿（虚构）：注销采矿许可证等证照','cancel the permits and licences');
INSERT INTO "notices" VALUES('C9999000000000000000004-N017','C9999000000000000000004','2031-01-08 16:01:00.098745','task_opened','["department:emergency"]','测试石灰岩矿（虚构）：注销采矿许可证等证照','cancel the permits and licences');
INSERT INTO "notices" VALUES('C9999000000000000000005-N001','C9999000000000000000005','2026-11-27 03:19:00.957234','decision_requested','["county", "office"]','测试石灰岩矿（虚构）处置意见待县政府研究','disposition awaits the county');
INSERT INTO "notices" VALUES('C9999000000000000000005-N002','C9999000000000000000005','2030-05-06 01:00:00.023384','task_opened','["department:natural_resources"]','测试石灰岩矿（虚构）：审批《开发利用方案》','review the development and utilisation plan');
INSERT INTO "notices" VALUES('C9999000000000000000005-N003','C9999000000000000000005','2030-05-06 01:00:00.081183','document_rejected','["holder"]','《开发利用方案》未通过审批，请修改后重新提交：储量核实报告未附','document rejected; revise and resubmit');
INSERT INTO "notices" VALUES('C9999000000000000000005-N004','C9999000000000000000005','2030-05-06 01:00:00.122442','task_opened','["department:natural_resources"]','测试石灰岩矿（虚构）：审批《开发利用方案》','review the development and utilisation plan');
INSERT INTO "notices" VALUES('C9999000000000000000005-N005','C9999000000000000000005','2030-05-31 16:00:00.000000','review_overdue','["office", "department:natural_resources"]','测试石灰岩矿（虚构）：审批《开发利用方案》已逾期','review the development and utilisation plan is overdue');
INSERT INTO "notices" VALUES('C9999000000000000000005-N006','C9999000000000000000005','2030-06-10 01:00:00.029204','deadline_moved','["holder", "township", "leader", "office"]','测试石灰岩矿（虚构）：经集体研究，完善审批手续并完成整治任务期限调整为2030-11-29（原2030-10-08）','by collective decision, ''rectification'' now ends on 2030-11-29 (was 2030-10-08)');
INSERT INTO "notices" VALUES('C9999000000000000000005-N007','C9999000000000000000005','2030-10-30 01:00:00.000000','reminder_30d','["holder", "township", "leader"]','测试石灰岩矿（虚构）：完善审批手续并完成整治任务将于2030-11-29届满（还有30天）','approvals and rectification works ends on 2030-11-29 (30 days left)');
INSERT INTO "notices" VALUES('C9999000000000000000005-N008','C9999000000000000000005','2030-11-22 01:00:00.000000','reminder_7d','["holder", "township", "leader"]','测试石灰岩矿（虚构）：完善审批手续并完成整治任务将于2030-11-29届满（还有7天）','approvals and rectification works ends on 2030-11-29 (7 days left)');
INSERT INTO "notices" VALUES('C9999000000000000000005-N009','C9999000000000000000005','2030-11-28 01:00:00.000000','reminder_1d','["holder", "township", "leader"]','测试石灰岩矿（虚构）：完善审批手续并完成整治任务将于2030-11-29届满（还有1天）','approvals and rectification works ends on 2030-11-29 (1 days left)');
INSERT INTO "notices" VALUES('C9999000000000000000005-N010','C9999000000000000000005','2030-11-29 16:00:00.000000','period_expired','["holder", "township", "leader", "office"]','测试石灰岩矿（虚构）逾期未完成整改，已给予3个月整改期限','first period expired; extension given');
INSERT INTO "notices" VALUES('C9999000000000000000005-N011','C9999000000000000000005','2030-11-29 16:01:00.083522','task_opened','["department:natural_resources"]','测试石灰岩矿（虚构）：审批《二合一方案》','review the geological-environment protection and land reclamation plan');
INSERT INTO "notices" VALUES('C9999000000000000000005-N012','C9999000000000000000005','2030-11-29 16:01:00.166265','task_opened','["department:ecology_environment"]','测试石灰岩矿（虚构）：审批《环评报告》','review the environmental impact report');
INSERT INTO "notices" VALUES('C9999000000000000000005-N013','C9999000000000000000005','2030-11-29 16:01:00.212730','task_opened','["department:water"]','测试石灰岩矿（虚构）：审批《水土保持方案》','review the soil and water conservation plan');
INSERT INTO "notices" VALUES('C9999000000000000000005-N014','C9999000000000000000005','2030-11-29 16:01:00.257209','task_opened','["department:industry_it"]','测试石灰岩矿（虚构）：审批《生产工艺及设备合规认定》','review the process and equipment compliance');
INSERT INTO "notices" VALUES('C9999000000000000000005-N015','C9999000000000000000005','2030-11-29 16:01:00.446351','task_opened','["township:\u6cd7\u6eaa\u9547"]','测试石灰岩矿（虚构）：整治任务初验','initial inspection of the works');
INSERT INTO "notices" VALUES('C9999000000000000000005-N016','C9999000000000000000005','2030-11-29 16:01:00.505160','task_opened','["department:natural_resources"]','测试石灰岩矿（虚构）：实地验收（县政府办牵头）','field acceptance (led by the government office)');
INSERT INTO "notices" VALUES('C9999000000000000000005-N017','C9999000000000000000005','2030-11-29 16:01:00.505160','task_opened','["department:ecology_environment"]','测试石灰岩矿（虚构）：实地验收（县政府办牵头）','field acceptance (led by the government office)');
INSERT INTO "notices" VALUES('C9999000000000000000005-N018','C9999000000000000000005','2030-11-29 16:01:00.505160','task_opened','["department:emergency"]','测试石灰岩矿（虚构）：实地验收（县政府办牵头）','field acceptance (led by the government office)');
INSERT INTO "notices" VALUES('C9999000000000000000005-N019','C9999000000000000000005','2030-11-29 16:01:00.505160','task_opened','["department:water"]','测试石灰岩矿（虚构）：实地验收（县政府办牵头）','field acceptance (led by the government office)');
INSERT INTO "notices" VALUES('C9999000000000000000005-N020','C9999000000000000000005','2030-11-29 16:01:00.505160','task_opened','["department:forestry"]','测试石灰岩矿（虚构）：实地验收（县政府办牵头）','field acceptance (led by the government office)');
INSERT INTO "notices" VALUES('C9999000000000000000005-N021','C9999000000000000000005','2030-11-29 16:01:00.505160','task_opened','["department:agriculture"]','测试石灰岩矿（虚构）：实地验收（县政府办牵头）','field acceptance (led by the government office)');
INSERT INTO "notices" VALUES('C9999000000000000000005-N022','C9999000000000000000005','2030-11-29 16:01:00.948413','task_opened','["department:natural_resources"]','测试石灰岩矿（虚构）：联审联批','joint review');
INSERT INTO "notices" VALUES('C9999000000000000000005-N023','C9999000000000000000005','2030-11-29 16:01:00.948413','task_opened','["department:ecology_environment"]','测试石灰岩矿（虚构）：联审联批','joint review');
INSERT INTO "notices" VALUES('C9999000000000000000005-N024','C9999000000000000000005','2030-11-29 16:01:00.948413','task_opened','["department:water"]','测试石灰岩矿（虚构）：联审联批','joint review');
INSERT INTO "notices" VALUES('C9999000000000000000005-N025','C9999000000000000000005','2030-11-29 16:01:00.948413','task_opened','["department:forestry"]','测试石灰岩矿（虚构）：联审联批','joint review');
INSERT INTO "notices" VALUES('C9999000000000000000005-N026','C9999000000000000000005','2030-11-29 16:01:00.948413','task_opened','["department:emergency"]','测试石灰岩矿（虚构）：联审联批','joint review');
INSERT INTO "notices" VALUES('C9999000000000000000005-N027','C9999000000000000000005','2030-11-29 16:01:00.948413','task_opened','["department:industry_it"]','测试石灰岩矿（虚构）：联审联批','joint review');
CREATE TABLE tasks (
	id VARCHAR NOT NULL, 
	permit_no VARCHAR NOT NULL, 
	kind VARCHAR NOT NULL, 
	clause VARCHAR NOT NULL, 
	assignee_role VARCHAR NOT NULL, 
	department VARCHAR, 
	township VARCHAR, 
	subject_zh VARCHAR NOT NULL, 
	subject_en VARCHAR NOT NULL, 
	opened_at DATETIME NOT NULL, 
	due DATE, 
	due_provisional BOOLEAN NOT NULL, 
	status VARCHAR NOT NULL, 
	escalated BOOLEAN NOT NULL, 
	decided_at DATETIME, 
	decided_by VARCHAR, 
	comment VARCHAR NOT NULL, 
	PRIMARY KEY (id)
);
INSERT INTO "tasks" VALUES('C9999000000000000000001-T01','C9999000000000000000001','supply_stop','六','department','power_supply',NULL,'停止供电、拆除供电设施','stop power and remove the supply','2030-04-01 02:00:00.119087','2030-04-29',0,'approved',1,'2030-07-15 02:00:00.652525','县供电公司·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000001-T02','C9999000000000000000001','supply_stop','六','department','public_security',NULL,'停止供应民爆物品','stop explosives supply','2030-04-01 02:00:00.119087','2030-04-29',0,'approved',1,'2030-07-15 02:00:00.687847','县公安局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000001-T03','C9999000000000000000001','plan_review','七.2','expert',NULL,NULL,'评审生态修复方案（省级专家库专家）','review the restoration plan (provincial expert pool)','2030-04-01 02:00:00.237281','2030-04-29',0,'approved',0,'2030-04-01 02:00:00.302076','专家·省级专家库专家','');
INSERT INTO "tasks" VALUES('C9999000000000000000001-T04','C9999000000000000000001','initial_inspection','五.1','township',NULL,'泗溪镇','整治任务初验','initial inspection of the works','2030-07-15 02:00:00.029575','2030-08-12',0,'approved',0,'2030-07-15 02:00:00.128208','泗溪镇·乡镇干部','');
INSERT INTO "tasks" VALUES('C9999000000000000000001-T05','C9999000000000000000001','field_acceptance','五.1','department','natural_resources',NULL,'实地验收（县政府办牵头）','field acceptance (led by the government office)','2030-07-15 02:00:00.128208','2030-08-12',0,'approved',0,'2030-07-15 02:00:00.234555','县自然资源局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000001-T06','C9999000000000000000001','field_acceptance','五.1','department','ecology_environment',NULL,'实地验收（县政府办牵头）','field acceptance (led by the government office)','2030-07-15 02:00:00.128208','2030-08-12',0,'approved',0,'2030-07-15 02:00:00.273210','县生态环境局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000001-T07','C9999000000000000000001','field_acceptance','五.1','department','emergency',NULL,'实地验收（县政府办牵头）','field acceptance (led by the government office)','2030-07-15 02:00:00.128208','2030-08-12',0,'approved',0,'2030-07-15 02:00:00.315250','县应急管理局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000001-T08','C9999000000000000000001','field_acceptance','五.1','department','water',NULL,'实地验收（县政府办牵头）','field acceptance (led by the government office)','2030-07-15 02:00:00.128208','2030-08-12',0,'approved',0,'2030-07-15 02:00:00.386829','县水利局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000001-T09','C9999000000000000000001','field_acceptance','五.1','department','forestry',NULL,'实地验收（县政府办牵头）','field acceptance (led by the government office)','2030-07-15 02:00:00.128208','2030-08-12',0,'approved',0,'2030-07-15 02:00:00.454757','县林业局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000001-T10','C9999000000000000000001','field_acceptance','五.1','department','agriculture',NULL,'实地验收（县政府办牵头）','field acceptance (led by the government office)','2030-07-15 02:00:00.128208','2030-08-12',0,'approved',0,'2030-07-15 02:00:00.490010','县农业农村局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000001-T11','C9999000000000000000001','expert_certificate','五.1','expert',NULL,NULL,'出具验收合格意见书（水工环、环境保护、林业专家）','acceptance certificate by the expert panel','2030-07-15 02:00:00.490010','2030-08-12',0,'approved',0,'2030-07-15 02:00:00.554619','专家·省级专家库专家','');
INSERT INTO "tasks" VALUES('C9999000000000000000001-T12','C9999000000000000000001','permit_cancellation','四.3','department','natural_resources',NULL,'注销采矿许可证等证照','cancel the permits and licences','2030-07-15 02:00:00.735701','2030-08-12',0,'approved',0,'2030-07-15 02:00:00.834991','县自然资源局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000001-T13','C9999000000000000000001','permit_cancellation','四.3','department','market_supervision',NULL,'注销采矿许可证等证照','cancel the permits and licences','2030-07-15 02:00:00.735701','2030-08-12',0,'approved',0,'2030-07-15 02:00:00.910974','县市场监管局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000001-T14','C9999000000000000000001','permit_cancellation','四.3','department','ecology_environment',NULL,'注销采矿许可证等证照','cancel the permits and licences','2030-07-15 02:00:00.735701','2030-08-12',0,'approved',0,'2030-07-15 02:00:00.954221','县生态环境局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000001-T15','C9999000000000000000001','permit_cancellation','四.3','department','forestry',NULL,'注销采矿许可证等证照','cancel the permits and licences','2030-07-15 02:00:00.735701','2030-08-12',0,'approved',0,'2030-07-15 02:00:00.997065','县林业局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000001-T16','C9999000000000000000001','permit_cancellation','四.3','department','water',NULL,'注销采矿许可证等证照','cancel the permits and licences','2030-07-15 02:00:00.735701','2030-08-12',0,'approved',0,'2030-07-15 02:00:01.032626','县水利局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000001-T17','C9999000000000000000001','permit_cancellation','四.3','department','emergency',NULL,'注销采矿许可证等证照','cancel the permits and licences','2030-07-15 02:00:00.735701','2030-08-12',0,'approved',0,'2030-07-15 02:00:01.069154','县应急管理局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000002-T01','C9999000000000000000002','supply_stop','六','department','power_supply',NULL,'停止供电、拆除供电设施','stop power and remove the supply','2030-04-01 02:00:00.049605','2030-04-29',0,'open',1,NULL,NULL,'');
INSERT INTO "tasks" VALUES('C9999000000000000000002-T02','C9999000000000000000002','supply_stop','六','department','public_security',NULL,'停止供应民爆物品','stop explosives supply','2030-04-01 02:00:00.049605','2030-04-29',0,'open',1,NULL,NULL,'');
INSERT INTO "tasks" VALUES('C9999000000000000000002-T03','C9999000000000000000002','plan_review','七.2','expert',NULL,NULL,'评审生态修复方案（省级专家库专家）','review the restoration plan (provincial expert pool)','2030-04-01 02:00:00.122361','2030-04-29',0,'approved',0,'2030-04-01 02:00:00.196336','专家·省级专家库专家','');
INSERT INTO "tasks" VALUES('C9999000000000000000002-T04','C9999000000000000000002','permit_cancellation','四.3','department','natural_resources',NULL,'注销采矿许可证等证照','cancel the permits and licences','2030-09-01 16:01:00.043204','2030-09-30',0,'approved',0,'2030-09-01 16:01:00.136944','县自然资源局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000002-T05','C9999000000000000000002','permit_cancellation','四.3','department','market_supervision',NULL,'注销采矿许可证等证照','cancel the permits and licences','2030-09-01 16:01:00.043204','2030-09-30',0,'approved',0,'2030-09-01 16:01:00.175032','县市场监管局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000002-T06','C9999000000000000000002','permit_cancellation','四.3','department','ecology_environment',NULL,'注销采矿许可证等证照','cancel the permits and licences','2030-09-01 16:01:00.043204','2030-09-30',0,'approved',0,'2030-09-01 16:01:00.224966','县生态环境局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000002-T07','C9999000000000000000002','permit_cancellation','四.3','department','forestry',NULL,'注销采矿许可证等证照','cancel the permits and licences','2030-09-01 16:01:00.043204','2030-09-30',0,'approved',0,'2030-09-01 16:01:00.274391','县林业局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000002-T08','C9999000000000000000002','permit_cancellation','四.3','department','water',NULL,'注销采矿许可证等证照','cancel the permits and licences','2030-09-01 16:01:00.043204','2030-09-30',0,'approved',0,'2030-09-01 16:01:00.339437','县水利局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000002-T09','C9999000000000000000002','permit_cancellation','四.3','department','emergency',NULL,'注销采矿许可证等证照','cancel the permits and licences','2030-09-01 16:01:00.043204','2030-09-30',0,'approved',0,'2030-09-01 16:01:00.390238','县应急管理局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000002-T10','C9999000000000000000002','field_acceptance','五.1','department','natural_resources',NULL,'实地验收（县政府办牵头）','field acceptance (led by the government office)','2030-09-01 16:01:00.486015','2030-09-30',0,'approved',0,'2030-09-01 16:01:00.637469','县自然资源局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000002-T11','C9999000000000000000002','field_acceptance','五.1','department','ecology_environment',NULL,'实地验收（县政府办牵头）','field acceptance (led by the government office)','2030-09-01 16:01:00.486015','2030-09-30',0,'approved',0,'2030-09-01 16:01:00.685226','县生态环境局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000002-T12','C9999000000000000000002','field_acceptance','五.1','department','emergency',NULL,'实地验收（县政府办牵头）','field acceptance (led by the government office)','2030-09-01 16:01:00.486015','2030-09-30',0,'approved',0,'2030-09-01 16:01:00.724056','县应急管理局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000002-T13','C9999000000000000000002','field_acceptance','五.1','department','water',NULL,'实地验收（县政府办牵头）','field acceptance (led by the government office)','2030-09-01 16:01:00.486015','2030-09-30',0,'approved',0,'2030-09-01 16:01:00.761034','县水利局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000002-T14','C9999000000000000000002','field_acceptance','五.1','department','forestry',NULL,'实地验收（县政府办牵头）','field acceptance (led by the government office)','2030-09-01 16:01:00.486015','2030-09-30',0,'approved',0,'2030-09-01 16:01:00.804612','县林业局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000002-T15','C9999000000000000000002','field_acceptance','五.1','department','agriculture',NULL,'实地验收（县政府办牵头）','field acceptance (led by the government office)','2030-09-01 16:01:00.486015','2030-09-30',0,'approved',0,'2030-09-01 16:01:00.856717','县农业农村局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000002-T16','C9999000000000000000002','expert_certificate','五.1','expert',NULL,NULL,'出具验收合格意见书（水工环、环境保护、林业专家）','acceptance certificate by the expert panel','2030-09-01 16:01:00.856717','2030-09-30',0,'approved',0,'2030-09-01 16:01:00.939064','专家·省级专家库专家','');
INSERT INTO "tasks" VALUES('C9999000000000000000003-T01','C9999000000000000000003','document_review','四.1','department','natural_resources',NULL,'审批《开发利用方案》','review the development and utilisation plan','2030-09-01 02:00:00.040510','2030-09-29',0,'approved',0,'2030-09-01 02:00:00.422965','县自然资源局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000003-T02','C9999000000000000000003','document_review','四.1','department','natural_resources',NULL,'审批《二合一方案》','review the geological-environment protection and land reclamation plan','2030-09-01 02:00:00.114499','2030-09-29',0,'approved',0,'2030-09-01 02:00:00.463681','县自然资源局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000003-T03','C9999000000000000000003','document_review','四.1','department','ecology_environment',NULL,'审批《环评报告》','review the environmental impact report','2030-09-01 02:00:00.191257','2030-09-29',0,'approved',0,'2030-09-01 02:00:00.504770','县生态环境局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000003-T04','C9999000000000000000003','document_review','四.1','department','water',NULL,'审批《水土保持方案》','review the soil and water conservation plan','2030-09-01 02:00:00.257608','2030-09-29',0,'approved',0,'2030-09-01 02:00:00.557127','县水利局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000003-T05','C9999000000000000000003','document_review','四.2','department','industry_it',NULL,'审批《生产工艺及设备合规认定》','review the process and equipment compliance','2030-09-01 02:00:00.326952','2030-09-29',0,'approved',0,'2030-09-01 02:00:00.603118','县工信局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000003-T06','C9999000000000000000003','initial_inspection','五.1','township',NULL,'泗溪镇','整治任务初验','initial inspection of the works','2030-09-01 02:00:00.649011','2030-09-29',0,'approved',0,'2030-09-01 02:00:00.761711','泗溪镇·乡镇干部','');
INSERT INTO "tasks" VALUES('C9999000000000000000003-T07','C9999000000000000000003','field_acceptance','五.1','department','natural_resources',NULL,'实地验收（县政府办牵头）','field acceptance (led by the government office)','2030-09-01 02:00:00.761711','2030-09-29',0,'approved',0,'2030-09-01 02:00:00.857049','县自然资源局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000003-T08','C9999000000000000000003','field_acceptance','五.1','department','ecology_environment',NULL,'实地验收（县政府办牵头）','field acceptance (led by the government office)','2030-09-01 02:00:00.761711','2030-09-29',0,'approved',0,'2030-09-01 02:00:00.905382','县生态环境局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000003-T09','C9999000000000000000003','field_acceptance','五.1','department','emergency',NULL,'实地验收（县政府办牵头）','field acceptance (led by the government office)','2030-09-01 02:00:00.761711','2030-09-29',0,'approved',0,'2030-09-01 02:00:00.943192','县应急管理局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000003-T10','C9999000000000000000003','field_acceptance','五.1','department','water',NULL,'实地验收（县政府办牵头）','field acceptance (led by the government office)','2030-09-01 02:00:00.761711','2030-09-29',0,'approved',0,'2030-09-01 02:00:00.978925','县水利局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000003-T11','C9999000000000000000003','field_acceptance','五.1','department','forestry',NULL,'实地验收（县政府办牵头）','field acceptance (led by the government office)','2030-09-01 02:00:00.761711','2030-09-29',0,'approved',0,'2030-09-01 02:00:01.084221','县林业局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000003-T12','C9999000000000000000003','field_acceptance','五.1','department','agriculture',NULL,'实地验收（县政府办牵头）','field acceptance (led by the government office)','2030-09-01 02:00:00.761711','2030-09-29',0,'approved',0,'2030-09-01 02:00:01.135707','县农业农村局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000003-T13','C9999000000000000000003','joint_review','四.1','department','natural_resources',NULL,'联审联批','joint review','2030-09-01 02:00:01.135707','2030-09-29',0,'approved',0,'2030-09-01 02:00:01.249157','县自然资源局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000003-T14','C9999000000000000000003','joint_review','四.1','department','ecology_environment',NULL,'联审联批','joint review','2030-09-01 02:00:01.135707','2030-09-29',0,'approved',0,'2030-09-01 02:00:01.304193','县生态环境局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000003-T15','C9999000000000000000003','joint_review','四.1','department','water',NULL,'联审联批','joint review','2030-09-01 02:00:01.135707','2030-09-29',0,'approved',0,'2030-09-01 02:00:01.361335','县水利局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000003-T16','C9999000000000000000003','joint_review','四.1','department','forestry',NULL,'联审联批','joint review','2030-09-01 02:00:01.135707','2030-09-29',0,'approved',0,'2030-09-01 02:00:01.400994','县林业局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000003-T17','C9999000000000000000003','joint_review','四.1','department','emergency',NULL,'联审联批','joint review','2030-09-01 02:00:01.135707','2030-09-29',0,'approved',0,'2030-09-01 02:00:01.433474','县应急管理局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000003-T18','C9999000000000000000003','joint_review','四.1','department','industry_it',NULL,'联审联批','joint review','2030-09-01 02:00:01.135707','2030-09-29',0,'approved',0,'2030-09-01 02:00:01.473846','县工信局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000003-T19','C9999000000000000000003','permit_renewal','四.1','department','natural_resources',NULL,'办理采矿许可证延续手续','renew the mining permit','2030-09-01 02:00:01.522058','2030-09-29',0,'approved',0,'2030-09-01 02:00:01.596538','县自然资源局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000003-T20','C9999000000000000000003','resume_review','五.1','department','natural_resources',NULL,'恢复生产联审','resume-production review','2030-09-01 02:00:01.653609','2030-09-29',0,'approved',0,'2030-09-01 02:00:01.725704','县自然资源局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000003-T21','C9999000000000000000003','resume_review','五.1','department','ecology_environment',NULL,'恢复生产联审','resume-production review','2030-09-01 02:00:01.653609','2030-09-29',0,'approved',0,'2030-09-01 02:00:01.766893','县生态环境局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000003-T22','C9999000000000000000003','resume_review','五.1','department','emergency',NULL,'恢复生产联审','resume-production review','2030-09-01 02:00:01.653609','2030-09-29',0,'approved',0,'2030-09-01 02:00:01.803571','县应急管理局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000003-T23','C9999000000000000000003','resume_review','五.1','department','industry_it',NULL,'恢复生产联审','resume-production review','2030-09-01 02:00:01.653609','2030-09-29',0,'approved',0,'2030-09-01 02:00:01.839625','县工信局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000003-T24','C9999000000000000000003','supply_restore','六','department','power_supply',NULL,'恢复供电','restore power','2030-09-01 02:00:01.653609','2030-09-29',0,'approved',0,'2030-09-01 02:00:01.918487','县供电公司·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000003-T25','C9999000000000000000003','supply_restore','六','department','public_security',NULL,'恢复民爆物品供应','restore explosives supply','2030-09-01 02:00:01.653609','2030-09-29',0,'approved',0,'2030-09-01 02:00:01.959655','县公安局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000004-T01','C9999000000000000000004','supply_stop','六','department','power_supply',NULL,'停止供电、拆除供电设施','stop power and remove the supply','2031-01-08 16:00:00.000000','2031-02-11',0,'approved',0,'2031-01-08 16:01:00.037927','县供电公司·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000004-T02','C9999000000000000000004','supply_stop','六','department','public_security',NULL,'停止供应民爆物品','stop explosives supply','2031-01-08 16:00:00.000000','2031-02-11',0,'approved',0,'2031-01-08 16:01:00.069094','县公安局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000004-T03','C9999000000000000000004','permit_cancellation','四.3','department','natural_resources',NULL,'注销采矿许可证等证照','cancel the permits and licences','2031-01-08 16:01:00.098745','2031-02-11',0,'approved',0,'2031-01-08 16:01:00.164749','县自然资源局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000004-T04','C9999000000000000000004','permit_cancellation','四.3','department','market_supervision',NULL,'注销采矿许可证等证照','cancel the permits and licences','2031-01-08 16:01:00.098745','2031-02-11',0,'approved',0,'2031-01-08 16:01:00.231888','县市场监管局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000004-T05','C9999000000000000000004','permit_cancellation','四.3','department','ecology_environment',NULL,'注销采矿许可证等证照','cancel the permits and licences','2031-01-08 16:01:00.098745','2031-02-11',0,'approved',0,'2031-01-08 16:01:00.267386','县生态环境局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000004-T06','C9999000000000000000004','permit_cancellation','四.3','department','forestry',NULL,'注销采矿许可证等证照','cancel the permits and licences','2031-01-08 16:01:00.098745','2031-02-11',0,'approved',0,'2031-01-08 16:01:00.311557','县林业局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000004-T07','C9999000000000000000004','permit_cancellation','四.3','department','water',NULL,'注销采矿许可证等证照','cancel the permits and licences','2031-01-08 16:01:00.098745','2031-02-11',0,'approved',0,'2031-01-08 16:01:00.368728','县水利局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000004-T08','C9999000000000000000004','permit_cancellation','四.3','department','emergency',NULL,'注销采矿许可证等证照','cancel the permits and licences','2031-01-08 16:01:00.098745','2031-02-11',0,'approved',0,'2031-01-08 16:01:00.407763','县应急管理局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000005-T01','C9999000000000000000005','document_review','四.1','department','natural_resources',NULL,'审批《开发利用方案》','review the development and utilisation plan','2030-05-06 01:00:00.023384','2030-05-31',0,'rejected',0,'2030-05-06 01:00:00.081183','县自然资源局·审批员','储量核实报告未附');
INSERT INTO "tasks" VALUES('C9999000000000000000005-T02','C9999000000000000000005','document_review','四.1','department','natural_resources',NULL,'审批《开发利用方案》','review the development and utilisation plan','2030-05-06 01:00:00.122442','2030-05-31',0,'approved',1,'2030-11-29 16:01:00.039063','县自然资源局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000005-T03','C9999000000000000000005','document_review','四.1','department','natural_resources',NULL,'审批《二合一方案》','review the geological-environment protection and land reclamation plan','2030-11-29 16:01:00.083522','2030-12-27',0,'approved',0,'2030-11-29 16:01:00.312643','县自然资源局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000005-T04','C9999000000000000000005','document_review','四.1','department','ecology_environment',NULL,'审批《环评报告》','review the environmental impact report','2030-11-29 16:01:00.166265','2030-12-27',0,'approved',0,'2030-11-29 16:01:00.346611','县生态环境局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000005-T05','C9999000000000000000005','document_review','四.1','department','water',NULL,'审批《水土保持方案》','review the soil and water conservation plan','2030-11-29 16:01:00.212730','2030-12-27',0,'approved',0,'2030-11-29 16:01:00.382870','县水利局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000005-T06','C9999000000000000000005','document_review','四.2','department','industry_it',NULL,'审批《生产工艺及设备合规认定》','review the process and equipment compliance','2030-11-29 16:01:00.257209','2030-12-27',0,'approved',0,'2030-11-29 16:01:00.419093','县工信局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000005-T07','C9999000000000000000005','initial_inspection','五.1','township',NULL,'泗溪镇','整治任务初验','initial inspection of the works','2030-11-29 16:01:00.446351','2030-12-27',0,'approved',0,'2030-11-29 16:01:00.505160','泗溪镇·乡镇干部','');
INSERT INTO "tasks" VALUES('C9999000000000000000005-T08','C9999000000000000000005','field_acceptance','五.1','department','natural_resources',NULL,'实地验收（县政府办牵头）','field acceptance (led by the government office)','2030-11-29 16:01:00.505160','2030-12-27',0,'approved',0,'2030-11-29 16:01:00.590318','县自然资源局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000005-T09','C9999000000000000000005','field_acceptance','五.1','department','ecology_environment',NULL,'实地验收（县政府办牵头）','field acceptance (led by the government office)','2030-11-29 16:01:00.505160','2030-12-27',0,'approved',0,'2030-11-29 16:01:00.634292','县生态环境局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000005-T10','C9999000000000000000005','field_acceptance','五.1','department','emergency',NULL,'实地验收（县政府办牵头）','field acceptance (led by the government office)','2030-11-29 16:01:00.505160','2030-12-27',0,'approved',0,'2030-11-29 16:01:00.679446','县应急管理局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000005-T11','C9999000000000000000005','field_acceptance','五.1','department','water',NULL,'实地验收（县政府办牵头）','field acceptance (led by the government office)','2030-11-29 16:01:00.505160','2030-12-27',0,'approved',0,'2030-11-29 16:01:00.784256','县水利局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000005-T12','C9999000000000000000005','field_acceptance','五.1','department','forestry',NULL,'实地验收（县政府办牵头）','field acceptance (led by the government office)','2030-11-29 16:01:00.505160','2030-12-27',0,'approved',0,'2030-11-29 16:01:00.885314','县林业局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000005-T13','C9999000000000000000005','field_acceptance','五.1','department','agriculture',NULL,'实地验收（县政府办牵头）','field acceptance (led by the government office)','2030-11-29 16:01:00.505160','2030-12-27',0,'approved',0,'2030-11-29 16:01:00.948413','县农业农村局·审批员','');
INSERT INTO "tasks" VALUES('C9999000000000000000005-T14','C9999000000000000000005','joint_review','四.1','department','natural_resources',NULL,'联审联批','joint review','2030-11-29 16:01:00.948413','2030-12-27',0,'open',0,NULL,NULL,'');
INSERT INTO "tasks" VALUES('C9999000000000000000005-T15','C9999000000000000000005','joint_review','四.1','department','ecology_environment',NULL,'联审联批','joint review','2030-11-29 16:01:00.948413','2030-12-27',0,'open',0,NULL,NULL,'');
INSERT INTO "tasks" VALUES('C9999000000000000000005-T16','C9999000000000000000005','joint_review','四.1','department','water',NULL,'联审联批','joint review','2030-11-29 16:01:00.948413','2030-12-27',0,'open',0,NULL,NULL,'');
INSERT INTO "tasks" VALUES('C9999000000000000000005-T17','C9999000000000000000005','joint_review','四.1','department','forestry',NULL,'联审联批','joint review','2030-11-29 16:01:00.948413','2030-12-27',0,'open',0,NULL,NULL,'');
INSERT INTO "tasks" VALUES('C9999000000000000000005-T18','C9999000000000000000005','joint_review','四.1','department','emergency',NULL,'联审联批','joint review','2030-11-29 16:01:00.948413','2030-12-27',0,'open',0,NULL,NULL,'');
INSERT INTO "tasks" VALUES('C9999000000000000000005-T19','C9999000000000000000005','joint_review','四.1','department','industry_it',NULL,'联审联批','joint review','2030-11-29 16:01:00.948413','2030-12-27',0,'open',0,NULL,NULL,'');
CREATE TABLE timeline (
	permit_no VARCHAR NOT NULL, 
	seq INTEGER NOT NULL, 
	at DATETIME NOT NULL, 
	kind VARCHAR NOT NULL, 
	clause VARCHAR NOT NULL, 
	actor_role VARCHAR NOT NULL, 
	actor_name VARCHAR NOT NULL, 
	actor_unit VARCHAR, 
	stage_from VARCHAR NOT NULL, 
	stage_to VARCHAR NOT NULL, 
	summary_zh VARCHAR NOT NULL, 
	summary_en VARCHAR NOT NULL, 
	data JSON, 
	PRIMARY KEY (permit_no, seq)
);
INSERT INTO "timeline" VALUES('C9999000000000000000001',1,'2026-11-27 03:18:40.269238','case_registered','三','office','领导小组办公室',NULL,'registered','registered','登记停产矿山 测试石灰岩矿（虚构）','stopped mine C9999000000000000000001 registered','{"campaign": "rolling-example"}');
INSERT INTO "timeline" VALUES('C9999000000000000000001',2,'2026-11-27 03:18:40.269238','disposition_proposed','四.1','township','乡镇干部','泗溪镇','registered','disposition_review','泗溪镇建议注销关闭','township proposed to cancel','{"path": "cancel", "reason": ""}');
INSERT INTO "timeline" VALUES('C9999000000000000000001',3,'2030-04-01 02:00:00.119087','closure_ordered','四.3','county','县政府常务会议',NULL,'disposition_review','closure_ordered','县政府研究同意注销关闭，下达关闭决定文书：2030-06-01前编制完生态修复方案，2030-09-01前完成整治并通过验收','closure ordered: plan by 2030-06-01, works accepted by 2030-09-01','{"document_id": "C9999000000000000000001-D01"}');
INSERT INTO "timeline" VALUES('C9999000000000000000001',4,'2030-04-01 02:00:00.237281','restoration_plan_submitted','四.2','holder','采矿权人代表',NULL,'closure_ordered','closure_ordered','采矿权人提交生态修复方案，送省级专家库专家评审','holder submitted the restoration plan to the experts','{"task_id": "C9999000000000000000001-T03", "title": ""}');
INSERT INTO "timeline" VALUES('C9999000000000000000001',5,'2030-04-01 02:00:00.302076','review_recorded','七.2','expert','省级专家库专家',NULL,'closure_ordered','closure_ordered','评审生态修复方案（省级专家库专家）：通过','review the restoration plan (provincial expert pool): approved','{"task_id": "C9999000000000000000001-T03", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000001',6,'2030-04-01 02:00:00.302076','restoration_plan_approved','七.2','expert','省级专家库专家',NULL,'closure_ordered','restoring','生态修复方案通过专家评审，开展生态修复','restoration plan approved; restoration under way','{}');
INSERT INTO "timeline" VALUES('C9999000000000000000001',7,'2030-04-29 16:00:00.000000','review_overdue_escalated','六','system','minecase',NULL,'restoring','restoring','停止供电、拆除供电设施逾期未办结（期限2030-04-29），报领导小组办公室','stop power and remove the supply overdue since 2030-04-29; office told','{"task_id": "C9999000000000000000001-T01"}');
INSERT INTO "timeline" VALUES('C9999000000000000000001',8,'2030-04-29 16:00:00.000000','review_overdue_escalated','六','system','minecase',NULL,'restoring','restoring','停止供应民爆物品逾期未办结（期限2030-04-29），报领导小组办公室','stop explosives supply overdue since 2030-04-29; office told','{"task_id": "C9999000000000000000001-T02"}');
INSERT INTO "timeline" VALUES('C9999000000000000000001',9,'2030-07-15 02:00:00.029575','works_reported_done','五.1','holder','采矿权人代表',NULL,'restoring','cancel_acceptance','采矿权人报告整治任务完成，待林场、乡镇初验','holder reported the works done','{"task_id": "C9999000000000000000001-T04"}');
INSERT INTO "timeline" VALUES('C9999000000000000000001',10,'2030-07-15 02:00:00.128208','review_recorded','五.1','township','乡镇干部','泗溪镇','cancel_acceptance','cancel_acceptance','整治任务初验：通过','initial inspection of the works: approved','{"task_id": "C9999000000000000000001-T04", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000001',11,'2030-07-15 02:00:00.234555','review_recorded','五.1','department','审批员','natural_resources','cancel_acceptance','cancel_acceptance','实地验收（县政府办牵头）：通过','field acceptance (led by the government office): approved','{"task_id": "C9999000000000000000001-T05", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000001',12,'2030-07-15 02:00:00.273210','review_recorded','五.1','department','审批员','ecology_environment','cancel_acceptance','cancel_acceptance','实地验收（县政府办牵头）：通过','field acceptance (led by the government office): approved','{"task_id": "C9999000000000000000001-T06", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000001',13,'2030-07-15 02:00:00.315250','review_recorded','五.1','department','审批员','emergency','cancel_acceptance','cancel_acceptance','实地验收（县政府办牵头）：通过','field acceptance (led by the government office): approved','{"task_id": "C9999000000000000000001-T07", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000001',14,'2030-07-15 02:00:00.386829','review_recorded','五.1','department','审批员','water','cancel_acceptance','cancel_acceptance','实地验收（县政府办牵头）：通过','field acceptance (led by the government office): approved','{"task_id": "C9999000000000000000001-T08", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000001',15,'2030-07-15 02:00:00.454757','review_recorded','五.1','department','审批员','forestry','cancel_acceptance','cancel_acceptance','实地验收（县政府办牵头）：通过','field acceptance (led by the government office): approved','{"task_id": "C9999000000000000000001-T09", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000001',16,'2030-07-15 02:00:00.490010','review_recorded','五.1','department','审批员','agriculture','cancel_acceptance','cancel_acceptance','实地验收（县政府办牵头）：通过','field acceptance (led by the government office): approved','{"task_id": "C9999000000000000000001-T10", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000001',17,'2030-07-15 02:00:00.554619','review_recorded','五.1','expert','省级专家库专家',NULL,'cancel_acceptance','cancel_acceptance','出具验收合格意见书（水工环、环境保护、林业专家）：通过','acceptance certificate by the expert panel: approved','{"task_id": "C9999000000000000000001-T11", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000001',18,'2030-07-15 02:00:00.554619','restoration_accepted','五.1','expert','省级专家库专家',NULL,'cancel_acceptance','awaiting_cancel_application','专家组出具验收合格意见书，视为完成矿山环境整治任务；30日内申请注销','acceptance certificate issued; apply to cancel within 30 days','{}');
INSERT INTO "timeline" VALUES('C9999000000000000000001',19,'2030-07-15 02:00:00.652525','review_recorded','六','department','审批员','power_supply','awaiting_cancel_application','awaiting_cancel_application','停止供电、拆除供电设施：通过','stop power and remove the supply: approved','{"task_id": "C9999000000000000000001-T01", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000001',20,'2030-07-15 02:00:00.687847','review_recorded','六','department','审批员','public_security','awaiting_cancel_application','awaiting_cancel_application','停止供应民爆物品：通过','stop explosives supply: approved','{"task_id": "C9999000000000000000001-T02", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000001',21,'2030-07-15 02:00:00.735701','cancellation_applied','四.3','holder','采矿权人代表',NULL,'awaiting_cancel_application','cancelling','原采矿权人提交注销申请，各部门依据关闭文书及验收合格意见书注销证照','holder applied; departments cancel on the closure decision and the acceptance certificate','{}');
INSERT INTO "timeline" VALUES('C9999000000000000000001',22,'2030-07-15 02:00:00.834991','review_recorded','四.3','department','审批员','natural_resources','cancelling','cancelling','注销采矿许可证等证照：通过','cancel the permits and licences: approved','{"task_id": "C9999000000000000000001-T12", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000001',23,'2030-07-15 02:00:00.910974','review_recorded','四.3','department','审批员','market_supervision','cancelling','cancelling','注销采矿许可证等证照：通过','cancel the permits and licences: approved','{"task_id": "C9999000000000000000001-T13", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000001',24,'2030-07-15 02:00:00.954221','review_recorded','四.3','department','审批员','ecology_environment','cancelling','cancelling','注销采矿许可证等证照：通过','cancel the permits and licences: approved','{"task_id": "C9999000000000000000001-T14", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000001',25,'2030-07-15 02:00:00.997065','review_recorded','四.3','department','审批员','forestry','cancelling','cancelling','注销采矿许可证等证照：通过','cancel the permits and licences: approved','{"task_id": "C9999000000000000000001-T15", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000001',26,'2030-07-15 02:00:01.032626','review_recorded','四.3','department','审批员','water','cancelling','cancelling','注销采矿许可证等证照：通过','cancel the permits and licences: approved','{"task_id": "C9999000000000000000001-T16", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000001',27,'2030-07-15 02:00:01.069154','review_recorded','四.3','department','审批员','emergency','cancelling','cancelling','注销采矿许可证等证照：通过','cancel the permits and licences: approved','{"task_id": "C9999000000000000000001-T17", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000001',28,'2030-07-15 02:00:01.069154','permits_cancelled','四.3','system','minecase',NULL,'cancelling','cancelled','各部门注销采矿许可证等证照完毕','all permits and licences cancelled','{}');
INSERT INTO "timeline" VALUES('C9999000000000000000001',29,'2030-07-15 02:00:01.069154','post_care_started','六','system','minecase',NULL,'cancelled','post_care','证照已注销，由泗溪镇负责后期管护3年（自验收之日2030-07-15起）','post-care by the township for 3 years from the acceptance on 2030-07-15','{}');
INSERT INTO "timeline" VALUES('C9999000000000000000002',1,'2026-11-27 03:18:42.927960','case_registered','三','office','领导小组办公室',NULL,'registered','registered','登记停产矿山 测试石灰岩矿（虚构）','stopped mine C9999000000000000000002 registered','{"campaign": "rolling-example"}');
INSERT INTO "timeline" VALUES('C9999000000000000000002',2,'2026-11-27 03:18:42.991493','disposition_proposed','四.1','township','乡镇干部','泗溪镇','registered','disposition_review','泗溪镇建议注销关闭','township proposed to cancel','{"path": "cancel", "reason": ""}');
INSERT INTO "timeline" VALUES('C9999000000000000000002',3,'2030-04-01 02:00:00.049605','closure_ordered','四.3','county','县政府常务会议',NULL,'disposition_review','closure_ordered','县政府研究同意注销关闭，下达关闭决定文书：2030-06-01前编制完生态修复方案，2030-09-01前完成整治并通过验收','closure ordered: plan by 2030-06-01, works accepted by 2030-09-01','{"document_id": "C9999000000000000000002-D01"}');
INSERT INTO "timeline" VALUES('C9999000000000000000002',4,'2030-04-01 02:00:00.122361','restoration_plan_submitted','四.2','holder','采矿权人代表',NULL,'closure_ordered','closure_ordered','采矿权人提交生态修复方案，送省级专家库专家评审','holder submitted the restoration plan to the experts','{"task_id": "C9999000000000000000002-T03", "title": ""}');
INSERT INTO "timeline" VALUES('C9999000000000000000002',5,'2030-04-01 02:00:00.196336','review_recorded','七.2','expert','省级专家库专家',NULL,'closure_ordered','closure_ordered','评审生态修复方案（省级专家库专家）：通过','review the restoration plan (provincial expert pool): approved','{"task_id": "C9999000000000000000002-T03", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000002',6,'2030-04-01 02:00:00.196336','restoration_plan_approved','七.2','expert','省级专家库专家',NULL,'closure_ordered','restoring','生态修复方案通过专家评审，开展生态修复','restoration plan approved; restoration under way','{}');
INSERT INTO "timeline" VALUES('C9999000000000000000002',7,'2030-04-29 16:00:00.000000','review_overdue_escalated','六','system','minecase',NULL,'restoring','restoring','停止供电、拆除供电设施逾期未办结（期限2030-04-29），报领导小组办公室','stop power and remove the supply overdue since 2030-04-29; office told','{"task_id": "C9999000000000000000002-T01"}');
INSERT INTO "timeline" VALUES('C9999000000000000000002',8,'2030-04-29 16:00:00.000000','review_overdue_escalated','六','system','minecase',NULL,'restoring','restoring','停止供应民爆物品逾期未办结（期限2030-04-29），报领导小组办公室','stop explosives supply overdue since 2030-04-29; office told','{"task_id": "C9999000000000000000002-T02"}');
INSERT INTO "timeline" VALUES('C9999000000000000000002',9,'2030-09-01 16:00:00.000000','works_taken_over','四.2','system','minecase',NULL,'restoring','restoring','逾期未完成整治（期限2030-09-01），属未履行生态修复法定义务，转由泗溪镇于2030-11-01前完成；修复责任及经费仍由原采矿权人承担','works overdue: the township takes them over by 2030-11-01; the holder still owes the cost','{"overdue": "restoration_works"}');
INSERT INTO "timeline" VALUES('C9999000000000000000002',10,'2030-09-01 16:00:00.000000','referred_for_litigation','五.2','system','minecase',NULL,'restoring','restoring','泗溪镇牵头将未履行生态修复法定义务的线索移送县检察院、法院（采区、厂区、堆料区裸露区整治完成并通过验收，期限2030-09-01）','referred to the procuratorate and court for public-interest litigation','{"document_id": "C9999000000000000000002-D02", "referred_to": ["procuratorate", "court"], "duty": "restoration_works"}');
INSERT INTO "timeline" VALUES('C9999000000000000000002',11,'2030-09-01 16:00:00.000000','cancellation_notice_published','四.3','system','minecase',NULL,'restoring','restoring','逾期未完成矿山生态环境整治任务，在县政府网站发布注销公告','works not done in time: cancellation notice published','{"document_id": "C9999000000000000000002-D03"}');
INSERT INTO "timeline" VALUES('C9999000000000000000002',12,'2030-09-01 16:00:00.000000','deemed_to_have_abandoned','四.3','system','minecase',NULL,'restoring','deemed_abandoned','注销公告发布后，视为采矿权人自动放弃矿权','after the notice the holder is deemed to have abandoned the right','{}');
INSERT INTO "timeline" VALUES('C9999000000000000000002',13,'2030-09-01 16:01:00.043204','cancellation_applied','四.3','township','乡镇干部','泗溪镇','deemed_abandoned','cancelling','泗溪镇作出注销矿权申请，各部门直接注销证照','township applied; departments cancel the permits','{}');
INSERT INTO "timeline" VALUES('C9999000000000000000002',14,'2030-09-01 16:01:00.136944','review_recorded','四.3','department','审批员','natural_resources','cancelling','cancelling','注销采矿许可证等证照：通过','cancel the permits and licences: approved','{"task_id": "C9999000000000000000002-T04", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000002',15,'2030-09-01 16:01:00.175032','review_recorded','四.3','department','审批员','market_supervision','cancelling','cancelling','注销采矿许可证等证照：通过','cancel the permits and licences: approved','{"task_id": "C9999000000000000000002-T05", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000002',16,'2030-09-01 16:01:00.224966','review_recorded','四.3','department','审批员','ecology_environment','cancelling','cancelling','注销采矿许可证等证照：通过','cancel the permits and licences: approved','{"task_id": "C9999000000000000000002-T06", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000002',17,'2030-09-01 16:01:00.274391','review_recorded','四.3','department','审批员','forestry','cancelling','cancelling','注销采矿许可证等证照：通过','cancel the permits and licences: approved','{"task_id": "C9999000000000000000002-T07", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000002',18,'2030-09-01 16:01:00.339437','review_recorded','四.3','department','审批员','water','cancelling','cancelling','注销采矿许可证等证照：通过','cancel the permits and licences: approved','{"task_id": "C9999000000000000000002-T08", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000002',19,'2030-09-01 16:01:00.390238','review_recorded','四.3','department','审批员','emergency','cancelling','cancelling','注销采矿许可证等证照：通过','cancel the permits and licences: approved','{"task_id": "C9999000000000000000002-T09", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000002',20,'2030-09-01 16:01:00.390238','permits_cancelled','四.3','system','minecase',NULL,'cancelling','cancelled','各部门注销采矿许可证等证照完毕','all permits and licences cancelled','{}');
INSERT INTO "timeline" VALUES('C9999000000000000000002',21,'2030-09-01 16:01:00.486015','takeover_works_reported_done','五.1','township','乡镇干部','泗溪镇','cancelled','cancelled','泗溪镇报告接手的整治任务完成，待实地验收','township reported the taken-over works done','{}');
INSERT INTO "timeline" VALUES('C9999000000000000000002',22,'2030-09-01 16:01:00.637469','review_recorded','五.1','department','审批员','natural_resources','cancelled','cancelled','实地验收（县政府办牵头）：通过','field acceptance (led by the government office): approved','{"task_id": "C9999000000000000000002-T10", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000002',23,'2030-09-01 16:01:00.685226','review_recorded','五.1','department','审批员','ecology_environment','cancelled','cancelled','实地验收（县政府办牵头）：通过','field acceptance (led by the government office): approved','{"task_id": "C9999000000000000000002-T11", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000002',24,'2030-09-01 16:01:00.724056','review_recorded','五.1','department','审批员','emergency','cancelled','cancelled','实地验收（县政府办牵头）：通过','field acceptance (led by the government office): approved','{"task_id": "C9999000000000000000002-T12", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000002',25,'2030-09-01 16:01:00.761034','review_recorded','五.1','department','审批员','water','cancelled','cancelled','实地验收（县政府办牵头）：通过','field acceptance (led by the government office): approved','{"task_id": "C9999000000000000000002-T13", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000002',26,'2030-09-01 16:01:00.804612','review_recorded','五.1','department','审批员','forestry','cancelled','cancelled','实地验收（县政府办牵头）：通过','field acceptance (led by the government office): approved','{"task_id": "C9999000000000000000002-T14", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000002',27,'2030-09-01 16:01:00.856717','review_recorded','五.1','department','审批员','agriculture','cancelled','cancelled','实地验收（县政府办牵头）：通过','field acceptance (led by the government office): approved','{"task_id": "C9999000000000000000002-T15", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000002',28,'2030-09-01 16:01:00.939064','review_recorded','五.1','expert','省级专家库专家',NULL,'cancelled','cancelled','出具验收合格意见书（水工环、环境保护、林业专家）：通过','acceptance certificate by the expert panel: approved','{"task_id": "C9999000000000000000002-T16", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000002',29,'2030-09-01 16:01:00.939064','takeover_works_accepted','五.1','expert','省级专家库专家',NULL,'cancelled','cancelled','接手整治任务通过验收，出具验收合格意见书','the works the township took over are accepted','{}');
INSERT INTO "timeline" VALUES('C9999000000000000000002',30,'2030-09-01 16:01:00.939064','post_care_started','六','system','minecase',NULL,'cancelled','post_care','证照已注销，由泗溪镇负责后期管护3年（自验收之日2030-09-02起）','post-care by the township for 3 years from the acceptance on 2030-09-02','{}');
INSERT INTO "timeline" VALUES('C9999000000000000000003',1,'2026-11-27 03:18:49.637822','case_registered','三','office','领导小组办公室',NULL,'registered','registered','登记停产矿山 测试石灰岩矿（虚构）','stopped mine C9999000000000000000003 registered','{"campaign": "shanggao-2023"}');
INSERT INTO "timeline" VALUES('C9999000000000000000003',2,'2026-11-27 03:18:49.730778','disposition_proposed','四.1','township','乡镇干部','泗溪镇','registered','disposition_review','泗溪镇建议延续：资源储量尚可','township proposed to continue','{"path": "continue", "reason": "\u8d44\u6e90\u50a8\u91cf\u5c1a\u53ef"}');
INSERT INTO "timeline" VALUES('C9999000000000000000003',3,'2030-04-01 02:00:00.091444','continuation_approved','四.1','county','县政府常务会议',NULL,'disposition_review','rectifying','县政府研究同意延续，自2030-04-01起6个月内完善审批手续、完成整治任务','county approved continuation; 6 months from 2030-04-01','{}');
INSERT INTO "timeline" VALUES('C9999000000000000000003',4,'2030-09-01 02:00:00.040510','document_submitted','四.1','holder','采矿权人代表',NULL,'rectifying','rectifying','采矿权人提交《开发利用方案》，送县自然资源局审批','holder submitted the development and utilisation plan to natural_resources','{"item": "development_plan", "task_id": "C9999000000000000000003-T01"}');
INSERT INTO "timeline" VALUES('C9999000000000000000003',5,'2030-09-01 02:00:00.114499','document_submitted','四.1','holder','采矿权人代表',NULL,'rectifying','rectifying','采矿权人提交《二合一方案》，送县自然资源局审批','holder submitted the geological-environment protection and land reclamation plan to natural_resources','{"item": "two_in_one_plan", "task_id": "C9999000000000000000003-T02"}');
INSERT INTO "timeline" VALUES('C9999000000000000000003',6,'2030-09-01 02:00:00.191257','document_submitted','四.1','holder','采矿权人代表',NULL,'rectifying','rectifying','采矿权人提交《环评报告》，送县生态环境局审批','holder submitted the environmental impact report to ecology_environment','{"item": "eia_report", "task_id": "C9999000000000000000003-T03"}');
INSERT INTO "timeline" VALUES('C9999000000000000000003',7,'2030-09-01 02:00:00.257608','document_submitted','四.1','holder','采矿权人代表',NULL,'rectifying','rectifying','采矿权人提交《水土保持方案》，送县水利局审批','holder submitted the soil and water conservation plan to water','{"item": "soil_water_plan", "task_id": "C9999000000000000000003-T04"}');
INSERT INTO "timeline" VALUES('C9999000000000000000003',8,'2030-09-01 02:00:00.326952','document_submitted','四.2','holder','采矿权人代表',NULL,'rectifying','rectifying','采矿权人提交《生产工艺及设备合规认定》，送县工信局审批','holder submitted the process and equipment compliance to industry_it','{"item": "process_equipment", "task_id": "C9999000000000000000003-T05"}');
INSERT INTO "timeline" VALUES('C9999000000000000000003',9,'2030-09-01 02:00:00.422965','review_recorded','四.1','department','审批员','natural_resources','rectifying','rectifying','审批《开发利用方案》：通过','review the development and utilisation plan: approved','{"task_id": "C9999000000000000000003-T01", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000003',10,'2030-09-01 02:00:00.463681','review_recorded','四.1','department','审批员','natural_resources','rectifying','rectifying','审批《二合一方案》：通过','review the geological-environment protection and land reclamation plan: approved','{"task_id": "C9999000000000000000003-T02", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000003',11,'2030-09-01 02:00:00.504770','review_recorded','四.1','department','审批员','ecology_environment','rectifying','rectifying','审批《环评报告》：通过','review the environmental impact report: approved','{"task_id": "C9999000000000000000003-T03", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000003',12,'2030-09-01 02:00:00.557127','review_recorded','四.1','department','审批员','water','rectifying','rectifying','审批《水土保持方案》：通过','review the soil and water conservation plan: approved','{"task_id": "C9999000000000000000003-T04", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000003',13,'2030-09-01 02:00:00.603118','review_recorded','四.2','department','审批员','industry_it','rectifying','rectifying','审批《生产工艺及设备合规认定》：通过','review the process and equipment compliance: approved','{"task_id": "C9999000000000000000003-T05", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000003',14,'2030-09-01 02:00:00.649011','works_reported_done','五.1','holder','采矿权人代表',NULL,'rectifying','rectifying','采矿权人报告整治任务完成，待林场、乡镇初验','holder reported the works done','{"task_id": "C9999000000000000000003-T06"}');
INSERT INTO "timeline" VALUES('C9999000000000000000003',15,'2030-09-01 02:00:00.761711','review_recorded','五.1','township','乡镇干部','泗溪镇','rectifying','rectifying','整治任务初验：通过','initial inspection of the works: approved','{"task_id": "C9999000000000000000003-T06", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000003',16,'2030-09-01 02:00:00.857049','review_recorded','五.1','department','审批员','natural_resources','rectifying','rectifying','实地验收（县政府办牵头）：通过','field acceptance (led by the government office): approved','{"task_id": "C9999000000000000000003-T07", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000003',17,'2030-09-01 02:00:00.905382','review_recorded','五.1','department','审批员','ecology_environment','rectifying','rectifying','实地验收（县政府办牵头）：通过','field acceptance (led by the government office): approved','{"task_id": "C9999000000000000000003-T08", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000003',18,'2030-09-01 02:00:00.943192','review_recorded','五.1','department','审批员','emergency','rectifying','rectifying','实地验收（县政府办牵头）：通过','field acceptance (led by the government office): approved','{"task_id": "C9999000000000000000003-T09", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000003',19,'2030-09-01 02:00:00.978925','review_recorded','五.1','department','审批员','water','rectifying','rectifying','实地验收（县政府办牵头）：通过','field acceptance (led by the government office): approved','{"task_id": "C9999000000000000000003-T10", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000003',20,'2030-09-01 02:00:01.084221','review_recorded','五.1','department','审批员','forestry','rectifying','rectifying','实地验收（县政府办牵头）：通过','field acceptance (led by the government office): approved','{"task_id": "C9999000000000000000003-T11", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000003',21,'2030-09-01 02:00:01.135707','review_recorded','五.1','department','审批员','agriculture','rectifying','rectifying','实地验收（县政府办牵头）：通过','field acceptance (led by the government office): approved','{"task_id": "C9999000000000000000003-T12", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000003',22,'2030-09-01 02:00:01.135707','works_accepted','五.1','system','minecase',NULL,'rectifying','rectifying','实地验收合格，视为完成矿山环境整治任务','field acceptance passed: works done','{}');
INSERT INTO "timeline" VALUES('C9999000000000000000003',23,'2030-09-01 02:00:01.135707','rectification_completed','四.1','system','minecase',NULL,'rectifying','joint_review','审批手续完善、整治任务完成，进入联审联批','approvals and works done: joint review','{}');
INSERT INTO "timeline" VALUES('C9999000000000000000003',24,'2030-09-01 02:00:01.249157','review_recorded','四.1','department','审批员','natural_resources','joint_review','joint_review','联审联批：通过','joint review: approved','{"task_id": "C9999000000000000000003-T13", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000003',25,'2030-09-01 02:00:01.304193','review_recorded','四.1','department','审批员','ecology_environment','joint_review','joint_review','联审联批：通过','joint review: approved','{"task_id": "C9999000000000000000003-T14", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000003',26,'2030-09-01 02:00:01.361335','review_recorded','四.1','department','审批员','water','joint_review','joint_review','联审联批：通过','joint review: approved','{"task_id": "C9999000000000000000003-T15", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000003',27,'2030-09-01 02:00:01.400994','review_recorded','四.1','department','审批员','forestry','joint_review','joint_review','联审联批：通过','joint review: approved','{"task_id": "C9999000000000000000003-T16", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000003',28,'2030-09-01 02:00:01.433474','review_recorded','四.1','department','审批员','emergency','joint_review','joint_review','联审联批：通过','joint review: approved','{"task_id": "C9999000000000000000003-T17", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000003',29,'2030-09-01 02:00:01.473846','review_recorded','四.1','department','审批员','industry_it','joint_review','joint_review','联审联批：通过','joint review: approved','{"task_id": "C9999000000000000000003-T18", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000003',30,'2030-09-01 02:00:01.473846','joint_review_passed','四.1','system','minecase',NULL,'joint_review','renewal_decision','联审联批通过，报县政府常务会议研究','joint review passed; to the executive meeting','{}');
INSERT INTO "timeline" VALUES('C9999000000000000000003',31,'2030-09-01 02:00:01.522058','renewal_agreed','四.1','county','县政府常务会议',NULL,'renewal_decision','renewing_permit','县政府常务会议研究同意，按程序办理采矿许可证延续','executive meeting agreed; permit to be renewed','{}');
INSERT INTO "timeline" VALUES('C9999000000000000000003',32,'2030-09-01 02:00:01.596538','review_recorded','四.1','department','审批员','natural_resources','renewing_permit','renewing_permit','办理采矿许可证延续手续：通过','renew the mining permit: approved','{"task_id": "C9999000000000000000003-T19", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000003',33,'2030-09-01 02:00:01.596538','permit_renewed','四.1','department','审批员','natural_resources','renewing_permit','renewed','采矿许可证延续办结','mining permit renewed','{}');
INSERT INTO "timeline" VALUES('C9999000000000000000003',34,'2030-09-01 02:00:01.653609','resumption_applied','五.1','holder','采矿权人代表',NULL,'renewed','resuming_production','采矿权人申请恢复生产，按多部门联审联批执行','holder applied to resume production','{}');
INSERT INTO "timeline" VALUES('C9999000000000000000003',35,'2030-09-01 02:00:01.725704','review_recorded','五.1','department','审批员','natural_resources','resuming_production','resuming_production','恢复生产联审：通过','resume-production review: approved','{"task_id": "C9999000000000000000003-T20", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000003',36,'2030-09-01 02:00:01.766893','review_recorded','五.1','department','审批员','ecology_environment','resuming_production','resuming_production','恢复生产联审：通过','resume-production review: approved','{"task_id": "C9999000000000000000003-T21", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000003',37,'2030-09-01 02:00:01.803571','review_recorded','五.1','department','审批员','emergency','resuming_production','resuming_production','恢复生产联审：通过','resume-production review: approved','{"task_id": "C9999000000000000000003-T22", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000003',38,'2030-09-01 02:00:01.839625','review_recorded','五.1','department','审批员','industry_it','resuming_production','resuming_production','恢复生产联审：通过','resume-production review: approved','{"task_id": "C9999000000000000000003-T23", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000003',39,'2030-09-01 02:00:01.918487','review_recorded','六','department','审批员','power_supply','resuming_production','resuming_production','恢复供电：通过','restore power: approved','{"task_id": "C9999000000000000000003-T24", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000003',40,'2030-09-01 02:00:01.959655','review_recorded','六','department','审批员','public_security','resuming_production','resuming_production','恢复民爆物品供应：通过','restore explosives supply: approved','{"task_id": "C9999000000000000000003-T25", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000003',41,'2030-09-01 02:00:01.959655','production_resumed','五.1','system','minecase',NULL,'resuming_production','production_resumed','复产联审通过，恢复供电及民爆物品供应，恢复生产','review passed and supply restored: production resumed','{}');
INSERT INTO "timeline" VALUES('C9999000000000000000004',1,'2026-11-27 03:18:51.980132','case_registered','三','office','领导小组办公室',NULL,'registered','registered','登记停产矿山 测试石灰岩矿（虚构）','stopped mine C9999000000000000000004 registered','{"campaign": "shanggao-2023"}');
INSERT INTO "timeline" VALUES('C9999000000000000000004',2,'2026-11-27 03:18:52.015881','disposition_proposed','四.1','township','乡镇干部','泗溪镇','registered','disposition_review','泗溪镇建议延续：资源储量尚可','township proposed to continue','{"path": "continue", "reason": "\u8d44\u6e90\u50a8\u91cf\u5c1a\u53ef"}');
INSERT INTO "timeline" VALUES('C9999000000000000000004',3,'2030-04-01 02:00:00.059206','continuation_approved','四.1','county','县政府常务会议',NULL,'disposition_review','rectifying','县政府研究同意延续，自2030-04-01起6个月内完善审批手续、完成整治任务','county approved continuation; 6 months from 2030-04-01','{}');
INSERT INTO "timeline" VALUES('C9999000000000000000004',4,'2030-10-08 16:00:00.000000','rectification_period_expired','四.1','system','minecase',NULL,'rectifying','rectifying_extended','6个月内未完成（期限2030-10-08），给予3个月整改期限','not done by 2030-10-08; a 3-month rectification period is given','{}');
INSERT INTO "timeline" VALUES('C9999000000000000000004',5,'2031-01-08 16:00:00.000000','deemed_to_have_abandoned','四.1','system','minecase',NULL,'rectifying_extended','deemed_abandoned','整改期限届满（2031-01-08）仍未完成，视为采矿权人自动放弃矿权','still not done at the end of the rectification period: deemed to have abandoned the right','{}');
INSERT INTO "timeline" VALUES('C9999000000000000000004',6,'2031-01-08 16:01:00.037927','review_recorded','六','department','审批员','power_supply','deemed_abandoned','deemed_abandoned','停止供电、拆除供电设施：通过','stop power and remove the supply: approved','{"task_id": "C9999000000000000000004-T01", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000004',7,'2031-01-08 16:01:00.069094','review_recorded','六','department','审批员','public_security','deemed_abandoned','deemed_abandoned','停止供应民爆物品：通过','stop explosives supply: approved','{"task_id": "C9999000000000000000004-T02", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000004',8,'2031-01-08 16:01:00.098745','cancellation_applied','四.3','township','乡镇干部','泗溪镇','deemed_abandoned','cancelling','泗溪镇作出注销矿权申请，各部门直接注销证照','township applied; departments cancel the permits','{}');
INSERT INTO "timeline" VALUES('C9999000000000000000004',9,'2031-01-08 16:01:00.164749','review_recorded','四.3','department','审批员','natural_resources','cancelling','cancelling','注销采矿许可证等证照：通过','cancel the permits and licences: approved','{"task_id": "C9999000000000000000004-T03", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000004',10,'2031-01-08 16:01:00.231888','review_recorded','四.3','department','审批员','market_supervision','cancelling','cancelling','注销采矿许可证等证照：通过','cancel the permits and licences: approved','{"task_id": "C9999000000000000000004-T04", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000004',11,'2031-01-08 16:01:00.267386','review_recorded','四.3','department','审批员','ecology_environment','cancelling','cancelling','注销采矿许可证等证照：通过','cancel the permits and licences: approved','{"task_id": "C9999000000000000000004-T05", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000004',12,'2031-01-08 16:01:00.311557','review_recorded','四.3','department','审批员','forestry','cancelling','cancelling','注销采矿许可证等证照：通过','cancel the permits and licences: approved','{"task_id": "C9999000000000000000004-T06", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000004',13,'2031-01-08 16:01:00.368728','review_recorded','四.3','department','审批员','water','cancelling','cancelling','注销采矿许可证等证照：通过','cancel the permits and licences: approved','{"task_id": "C9999000000000000000004-T07", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000004',14,'2031-01-08 16:01:00.407763','review_recorded','四.3','department','审批员','emergency','cancelling','cancelling','注销采矿许可证等证照：通过','cancel the permits and licences: approved','{"task_id": "C9999000000000000000004-T08", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000004',15,'2031-01-08 16:01:00.407763','permits_cancelled','四.3','system','minecase',NULL,'cancelling','cancelled','各部门注销采矿许可证等证照完毕','all permits and licences cancelled','{}');
INSERT INTO "timeline" VALUES('C9999000000000000000004',16,'2031-01-08 16:01:00.407763','case_closed','六','system','minecase',NULL,'cancelled','closed','办结销号（一案一销）','case closed: permits cancelled','{}');
INSERT INTO "timeline" VALUES('C9999000000000000000005',1,'2026-11-27 03:19:00.912317','case_registered','三','office','领导小组办公室',NULL,'registered','registered','登记停产矿山 测试石灰岩矿（虚构）','stopped mine C9999000000000000000005 registered','{"campaign": "shanggao-2023"}');
INSERT INTO "timeline" VALUES('C9999000000000000000005',2,'2026-11-27 03:19:00.957234','disposition_proposed','四.1','township','乡镇干部','泗溪镇','registered','disposition_review','泗溪镇建议延续：资源储量尚可','township proposed to continue','{"path": "continue", "reason": "\u8d44\u6e90\u50a8\u91cf\u5c1a\u53ef"}');
INSERT INTO "timeline" VALUES('C9999000000000000000005',3,'2030-04-01 02:00:00.041750','continuation_approved','四.1','county','县政府常务会议',NULL,'disposition_review','rectifying','县政府研究同意延续，自2030-04-01起6个月内完善审批手续、完成整治任务','county approved continuation; 6 months from 2030-04-01','{}');
INSERT INTO "timeline" VALUES('C9999000000000000000005',4,'2030-05-06 01:00:00.023384','document_submitted','四.1','holder','采矿权人代表',NULL,'rectifying','rectifying','采矿权人提交《开发利用方案》，送县自然资源局审批','holder submitted the development and utilisation plan to natural_resources','{"item": "development_plan", "task_id": "C9999000000000000000005-T01"}');
INSERT INTO "timeline" VALUES('C9999000000000000000005',5,'2030-05-06 01:00:00.081183','review_recorded','四.1','department','审批员','natural_resources','rectifying','rectifying','审批《开发利用方案》：不通过（储量核实报告未附）','review the development and utilisation plan: rejected','{"task_id": "C9999000000000000000005-T01", "approved": false}');
INSERT INTO "timeline" VALUES('C9999000000000000000005',6,'2030-05-06 01:00:00.122442','document_submitted','四.1','holder','采矿权人代表',NULL,'rectifying','rectifying','采矿权人提交《开发利用方案》，送县自然资源局审批','holder submitted the development and utilisation plan to natural_resources','{"item": "development_plan", "task_id": "C9999000000000000000005-T02"}');
INSERT INTO "timeline" VALUES('C9999000000000000000005',7,'2030-05-31 16:00:00.000000','review_overdue_escalated','四.1','system','minecase',NULL,'rectifying','rectifying','审批《开发利用方案》逾期未办结（期限2030-05-31），报领导小组办公室','review the development and utilisation plan overdue since 2030-05-31; office told','{"task_id": "C9999000000000000000005-T02"}');
INSERT INTO "timeline" VALUES('C9999000000000000000005',8,'2030-06-10 01:00:00.029204','deadline_moved','五.3','office','领导小组办公室',NULL,'rectifying','rectifying','经集体研究（县政府2030年第12次常务会议纪要），完善审批手续并完成整治任务期限由2030-10-08调整为2030-11-29：汛期道路中断，无法施工','collective decision moved ''rectification'' from 2030-10-08 to 2030-11-29','{"deadline": "rectification", "old": "2030-10-08", "new": "2030-11-29", "meeting": "\u53bf\u653f\u5e9c2030\u5e74\u7b2c12\u6b21\u5e38\u52a1\u4f1a\u8bae\u7eaa\u8981"}');
INSERT INTO "timeline" VALUES('C9999000000000000000005',9,'2030-11-29 16:00:00.000000','rectification_period_expired','四.1','system','minecase',NULL,'rectifying','rectifying_extended','6个月内未完成（期限2030-11-29），给予3个月整改期限','not done by 2030-11-29; a 3-month rectification period is given','{}');
INSERT INTO "timeline" VALUES('C9999000000000000000005',10,'2030-11-29 16:01:00.039063','review_recorded','四.1','department','审批员','natural_resources','rectifying_extended','rectifying_extended','审批《开发利用方案》：通过','review the development and utilisation plan: approved','{"task_id": "C9999000000000000000005-T02", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000005',11,'2030-11-29 16:01:00.083522','document_submitted','四.1','holder','采矿权人代表',NULL,'rectifying_extended','rectifying_extended','采矿权人提交《二合一方案》，送县自然资源局审批','holder submitted the geological-environment protection and land reclamation plan to natural_resources','{"item": "two_in_one_plan", "task_id": "C9999000000000000000005-T03"}');
INSERT INTO "timeline" VALUES('C9999000000000000000005',12,'2030-11-29 16:01:00.166265','document_submitted','四.1','holder','采矿权人代表',NULL,'rectifying_extended','rectifying_extended','采矿权人提交《环评报告》，送县生态环境局审批','holder submitted the environmental impact report to ecology_environment','{"item": "eia_report", "task_id": "C9999000000000000000005-T04"}');
INSERT INTO "timeline" VALUES('C9999000000000000000005',13,'2030-11-29 16:01:00.212730','document_submitted','四.1','holder','采矿权人代表',NULL,'rectifying_extended','rectifying_extended','采矿权人提交《水土保持方案》，送县水利局审批','holder submitted the soil and water conservation plan to water','{"item": "soil_water_plan", "task_id": "C9999000000000000000005-T05"}');
INSERT INTO "timeline" VALUES('C9999000000000000000005',14,'2030-11-29 16:01:00.257209','document_submitted','四.2','holder','采矿权人代表',NULL,'rectifying_extended','rectifying_extended','采矿权人提交《生产工艺及设备合规认定》，送县工信局审批','holder submitted the process and equipment compliance to industry_it','{"item": "process_equipment", "task_id": "C9999000000000000000005-T06"}');
INSERT INTO "timeline" VALUES('C9999000000000000000005',15,'2030-11-29 16:01:00.312643','review_recorded','四.1','department','审批员','natural_resources','rectifying_extended','rectifying_extended','审批《二合一方案》：通过','review the geological-environment protection and land reclamation plan: approved','{"task_id": "C9999000000000000000005-T03", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000005',16,'2030-11-29 16:01:00.346611','review_recorded','四.1','department','审批员','ecology_environment','rectifying_extended','rectifying_extended','审批《环评报告》：通过','review the environmental impact report: approved','{"task_id": "C9999000000000000000005-T04", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000005',17,'2030-11-29 16:01:00.382870','review_recorded','四.1','department','审批员','water','rectifying_extended','rectifying_extended','审批《水土保持方案》：通过','review the soil and water conservation plan: approved','{"task_id": "C9999000000000000000005-T05", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000005',18,'2030-11-29 16:01:00.419093','review_recorded','四.2','department','审批员','industry_it','rectifying_extended','rectifying_extended','审批《生产工艺及设备合规认定》：通过','review the process and equipment compliance: approved','{"task_id": "C9999000000000000000005-T06", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000005',19,'2030-11-29 16:01:00.446351','works_reported_done','五.1','holder','采矿权人代表',NULL,'rectifying_extended','rectifying_extended','采矿权人报告整治任务完成，待林场、乡镇初验','holder reported the works done','{"task_id": "C9999000000000000000005-T07"}');
INSERT INTO "timeline" VALUES('C9999000000000000000005',20,'2030-11-29 16:01:00.505160','review_recorded','五.1','township','乡镇干部','泗溪镇','rectifying_extended','rectifying_extended','整治任务初验：通过','initial inspection of the works: approved','{"task_id": "C9999000000000000000005-T07", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000005',21,'2030-11-29 16:01:00.590318','review_recorded','五.1','department','审批员','natural_resources','rectifying_extended','rectifying_extended','实地验收（县政府办牵头）：通过','field acceptance (led by the government office): approved','{"task_id": "C9999000000000000000005-T08", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000005',22,'2030-11-29 16:01:00.634292','review_recorded','五.1','department','审批员','ecology_environment','rectifying_extended','rectifying_extended','实地验收（县政府办牵头）：通过','field acceptance (led by the government office): approved','{"task_id": "C9999000000000000000005-T09", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000005',23,'2030-11-29 16:01:00.679446','review_recorded','五.1','department','审批员','emergency','rectifying_extended','rectifying_extended','实地验收（县政府办牵头）：通过','field acceptance (led by the government office): approved','{"task_id": "C9999000000000000000005-T10", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000005',24,'2030-11-29 16:01:00.784256','review_recorded','五.1','department','审批员','water','rectifying_extended','rectifying_extended','实地验收（县政府办牵头）：通过','field acceptance (led by the government office): approved','{"task_id": "C9999000000000000000005-T11", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000005',25,'2030-11-29 16:01:00.885314','review_recorded','五.1','department','审批员','forestry','rectifying_extended','rectifying_extended','实地验收（县政府办牵头）：通过','field acceptance (led by the government office): approved','{"task_id": "C9999000000000000000005-T12", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000005',26,'2030-11-29 16:01:00.948413','review_recorded','五.1','department','审批员','agriculture','rectifying_extended','rectifying_extended','实地验收（县政府办牵头）：通过','field acceptance (led by the government office): approved','{"task_id": "C9999000000000000000005-T13", "approved": true}');
INSERT INTO "timeline" VALUES('C9999000000000000000005',27,'2030-11-29 16:01:00.948413','works_accepted','五.1','system','minecase',NULL,'rectifying_extended','rectifying_extended','实地验收合格，视为完成矿山环境整治任务','field acceptance passed: works done','{}');
INSERT INTO "timeline" VALUES('C9999000000000000000005',28,'2030-11-29 16:01:00.948413','rectification_completed','四.1','system','minecase',NULL,'rectifying_extended','joint_review','审批手续完善、整治任务完成，进入联审联批','approvals and works done: joint review','{}');
INSERT INTO "timeline" VALUES('C9999000000000000000006',1,'2026-11-27 03:19:07.527791','case_registered','三','office','领导小组办公室',NULL,'registered','registered','登记停产矿山 只登记的矿山（虚构）','stopped mine C9999000000000000000006 registered','{"campaign": "shanggao-2023"}');
CREATE TABLE users (
	name VARCHAR(50) NOT NULL, 
	display_name VARCHAR NOT NULL, 
	role VARCHAR NOT NULL, 
	township VARCHAR, 
	department VARCHAR, 
	permit_no VARCHAR, 
	password_hash VARCHAR NOT NULL, 
	active BOOLEAN NOT NULL, 
	created_at DATETIME NOT NULL, 
	PRIMARY KEY (name)
);
INSERT INTO "users" VALUES('office','office','office',NULL,NULL,NULL,'$argon2id$v=19$m=65536,t=3,p=4$ECcpzPTvNO5+Ku/h5FDMSg$v7RutmizYugqWxFI55Mn7b5E7PNStLi8k6ONWyJxMUc',1,'2026-11-27 03:18:38.403880');
INSERT INTO "users" VALUES('county','县政府','county',NULL,NULL,NULL,'$argon2id$v=19$m=65536,t=3,p=4$T1IgiRuwF84C3PVE3k95uA$iglSM090hQTfXX3rejF0tWCzHS65w5MaOLxET/B1zmI',1,'2026-11-27 03:18:38.650853');
INSERT INTO "users" VALUES('sixi','泗溪镇干部','township','泗溪镇',NULL,NULL,'$argon2id$v=19$m=65536,t=3,p=4$urFe9C4F/+RtSXtD+HOL2A$GlbgCtyBthsphd4omuHQGpxY/QPs3s7I/uxQo/hZI4g',1,'2026-11-27 03:18:38.818401');
INSERT INTO "users" VALUES('natres','natres','department',NULL,'natural_resources',NULL,'$argon2id$v=19$m=65536,t=3,p=4$2TSF/yiq8cMgSn7NDUEzTQ$7TPOVAFhoTLWfzZ+lIt9r7vV3/K3IA3eR8oeiVgkxR8',1,'2026-11-27 03:18:39.061658');
INSERT INTO "users" VALUES('holder1','holder1','holder',NULL,NULL,'C9999000000000000000001','$argon2id$v=19$m=65536,t=3,p=4$wSXawEpE/4R9nbxJ3gIMYA$+kAIXZeo9NIqTlxgvjXk8jgOY6jkB7sipIkKFs1Zftg',1,'2026-11-27 03:18:39.263587');
INSERT INTO "users" VALUES('expert','expert','expert',NULL,NULL,NULL,'$argon2id$v=19$m=65536,t=3,p=4$0wERgZbkn7+4Tq+zVQkMqg$M/Fav/wSYAy0w/BBBQrcPWz4ogzmRHZpaZgcTXpmgRc',1,'2026-11-27 03:18:39.447426');
INSERT INTO "users" VALUES('viewer','viewer','viewer',NULL,NULL,NULL,'$argon2id$v=19$m=65536,t=3,p=4$B0igcXJun/Kn74FligvdwQ$MrrdEEvBwbLZxz6kZ288ZajRveHVq5nqiRKUY9ITNGo',1,'2026-11-27 03:18:39.615643');
CREATE INDEX ix_cases_township ON cases (township);
CREATE INDEX ix_cases_campaign ON cases (campaign);
CREATE INDEX ix_cases_stage ON cases (stage);
CREATE INDEX ix_cases_next_due ON cases (next_due);
CREATE INDEX ix_tasks_department ON tasks (department);
CREATE INDEX ix_tasks_permit_no ON tasks (permit_no);
CREATE INDEX ix_tasks_township ON tasks (township);
CREATE INDEX ix_tasks_status ON tasks (status);
CREATE INDEX ix_notices_permit_no ON notices (permit_no);
CREATE INDEX ix_documents_permit_no ON documents (permit_no);
CREATE INDEX ix_documents_kind ON documents (kind);
CREATE INDEX ix_users_role ON users (role);
COMMIT;
